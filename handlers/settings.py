"""/settings: a person's own choices: timetable change notices, and an adult's guardians.

A student aged 18 or more (or whose birth date the school does not know) decides whether
their guardians see their records; the guardians are told when that changes, without details.
"""

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat.callback_data import CallbackPattern, is_word
from bot.chat.context import Context, viewer_of
from bot.i18n import gettext_for, pick_language
from models.access import Viewer, audit
from models.account_queries import get_account
from models.consent import ConsentState, consent_state, set_consent
from models.guardian_queries import guardian_chats
from models.outbox import enqueue

SET_CHANGES = CallbackPattern(r"^settings:changes:(on|off)$", is_word)
SET_GUARDIANS = CallbackPattern(r"^settings:guardians:(on|off)$", is_word)


def _consent_part(
    language: str, state: ConsentState
) -> tuple[list[str], list[InlineKeyboardButton]]:
    """The guardians' lines of the settings and, for an adult, the button to change it."""
    _ = gettext_for(language)
    if not state.has_guardians:
        return [], []
    if not state.adult:
        return [_("Your guardians see your records until you turn 18.")], []
    lines = [
        _("Your guardians <b>see</b> your records now.")
        if state.allowed
        else _("Your guardians <b>do not see</b> your records now."),
        _(
            "You are 18 or older, so you decide: your guardians see your timetable, absences, "
            "marks and practice only while this is on. You can change it at any time."
        ),
    ]
    button = InlineKeyboardButton(
        _("Stop sharing with my guardians") if state.allowed else _("Share with my guardians"),
        callback_data=f"settings:guardians:{'off' if state.allowed else 'on'}",
    )
    return lines, [button]


def _settings_view(
    language: str, notify_changes: bool, consent: ConsentState | None
) -> tuple[str, InlineKeyboardMarkup]:
    _ = gettext_for(language)
    state = _("on") if notify_changes else _("off")
    lines = [
        _("<b>Settings</b>"),
        _("Timetable change notices: <b>{state}</b>").format(state=state),
        _(
            "When a lesson of yours in the next two school days is cancelled, moved or gets "
            "another teacher or room, I write to you."
        ),
    ]
    button = InlineKeyboardButton(
        _("Turn off change notices") if notify_changes else _("Turn on change notices"),
        callback_data=f"settings:changes:{'off' if notify_changes else 'on'}",
    )
    rows = [[button]]
    if consent is not None:
        consent_lines, consent_buttons = _consent_part(language, consent)
        lines += ["", *consent_lines] if consent_lines else []
        rows += [consent_buttons] if consent_buttons else []
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def _view(
    context: Context, session: AsyncSession, viewer: Viewer
) -> tuple[str, InlineKeyboardMarkup]:
    """Read the person's settings and draw them."""
    account = await get_account(session, telegram_id=viewer.telegram_id)
    assert account is not None  # the registration handler created it
    consent = None
    if viewer.student_id is not None:
        today = dt.datetime.now(context.bot_data.settings.tz).date()
        consent = await consent_state(session, student_id=viewer.student_id, today=today)
    return _settings_view(viewer.language, account.notify_changes, consent)


async def show_settings(update: Update, context: Context) -> None:
    """Show the person's settings with buttons to change them."""
    message = update.effective_message
    assert message is not None
    viewer = viewer_of(context)
    async with context.bot_data.sessionmaker() as session:
        text, buttons = await _view(context, session, viewer)
    await message.reply_html(text, reply_markup=buttons)


async def change_settings(update: Update, context: Context) -> None:
    """Save the change-notices choice from the pressed button and redraw the settings."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = SET_CHANGES.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    viewer = viewer_of(context)
    async with context.bot_data.sessionmaker.begin() as session:
        account = await get_account(session, telegram_id=viewer.telegram_id)
        assert account is not None
        account.notify_changes = match.group(1) == "on"
        await session.flush()
        text, buttons = await _view(context, session, viewer)
    _ = gettext_for(viewer.language)
    await query.answer(_("Saved."))
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=buttons)


async def _tell_guardians(
    context: Context, session: AsyncSession, viewer: Viewer, *, allowed: bool, now: dt.datetime
) -> None:
    """Queue a short notice to each linked guardian: shared now, or no longer (no reasons)."""
    assert viewer.student_id is not None
    default = context.bot_data.settings.default_language
    for chat_id, saved, seen in await guardian_chats(session, student_id=viewer.student_id):
        _ = gettext_for(pick_language(saved, seen, default))
        text = (
            _("{name} now shares their records with you: see /students.")
            if allowed
            else _("{name} no longer shares their records with you.")
        ).format(name=viewer.student_name)
        key = f"consent:{viewer.student_id}:{now.isoformat()}:{chat_id}"
        await enqueue(session, chat_id=chat_id, dedupe_key=key, text=text)


async def change_consent(update: Update, context: Context) -> None:
    """An adult student allows or stops sharing with their guardians; they are told."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = SET_GUARDIANS.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    allowed, now = match.group(1) == "on", dt.datetime.now(dt.UTC)
    today = now.astimezone(context.bot_data.settings.tz).date()
    async with context.bot_data.sessionmaker.begin() as session:
        student_id = viewer.student_id
        state = (
            await consent_state(session, student_id=student_id, today=today) if student_id else None
        )
        if student_id is None or state is None or not state.adult:
            await audit(session, viewer=viewer, action="refused", target="consent:guardians")
        elif await set_consent(session, student_id=student_id, allowed=allowed, now=now):
            detail = "allowed" if allowed else "withdrawn"
            await audit(
                session,
                viewer=viewer,
                action="consent:guardians",
                target=viewer.actor,
                detail=detail,
            )
            await _tell_guardians(context, session, viewer, allowed=allowed, now=now)
        text, buttons = await _view(context, session, viewer)
    if student_id is None or state is None or not state.adult:
        await query.answer(_("This button is out of date. Please ask again."), show_alert=True)
        return
    await query.answer(_("Saved."))
    await query.edit_message_text(text, parse_mode="HTML", reply_markup=buttons)


HANDLERS = [
    CommandHandler("settings", show_settings),
    CallbackQueryHandler(change_settings, pattern=SET_CHANGES),
    CallbackQueryHandler(change_consent, pattern=SET_GUARDIANS),
]
