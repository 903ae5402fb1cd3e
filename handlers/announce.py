"""/announce: admins (tutors: their own groups) write, preview, then send or cancel an announcement.

The draft is a database row, so a preview still works after a restart.
"""

import html
import re
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.chat.callback_data import CallbackPattern, is_id, is_word
from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.i18n import gettext_for
from handlers.acknowledge import author_buttons
from models.access import Viewer, audit, require
from models.announcements import (
    Announcement,
    AnnouncementError,
    cancel_draft,
    check_text,
    confirm_draft,
    create_batch,
    queue_recipients,
)
from models.audiences import AudienceError, resolve_audience
from models.send_time import SendTimeError, parse_send_time

DRAFT_ACTION = CallbackPattern(r"^ann:(send|sendack|cancel):(\d{1,10})$", is_word, is_id)
COMMAND = re.compile(r"^/announce(@\w+)?[ \t]*", re.IGNORECASE)


def _may_announce(viewer: Viewer) -> bool:
    return viewer.is_admin or bool(viewer.tutor_group_ids)


def _group_limit(viewer: Viewer) -> frozenset[int] | None:
    return None if viewer.is_admin else viewer.tutor_group_ids


async def compose(update: Update, context: Context) -> None:
    """Read `/announce <audience>` and the text below it; answer with a preview to confirm."""
    message = update.effective_message
    assert message is not None
    await _draft(update, context, COMMAND.sub("", message.text_html or "", count=1), media=None)


async def compose_with_media(update: Update, context: Context) -> None:
    """The same for a photo or a file whose caption starts with /announce."""
    message = update.effective_message
    assert message is not None
    if message.photo:
        media = ("photo", message.photo[-1].file_id)
    else:
        assert message.document is not None  # guaranteed by the handler's filter
        media = ("document", message.document.file_id)
    body = COMMAND.sub("", message.caption_html or "", count=1)
    await _draft(update, context, body, media=media)


async def _draft(
    update: Update, context: Context, body: str, *, media: tuple[str, str] | None
) -> None:
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    require(_may_announce(viewer), "announce")
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    first_line, _newline, text = body.partition("\n")
    spec, _at, when = (html.unescape(part.strip()) for part in first_line.partition("@"))
    text = text.strip()
    if not spec or not text:
        await send_html(context.bot, chat.id, _usage(viewer))
        return
    send_at = None
    if when:
        try:
            send_at = parse_send_time(when, now=datetime.now(UTC), tz=settings.tz)
        except SendTimeError as refusal:
            await send_html(context.bot, chat.id, _(refusal.reason))
            return
    async with context.bot_data.sessionmaker.begin() as session:
        try:
            check_text(text, caption=media is not None)
            audience = await resolve_audience(session, spec, limit_to_groups=_group_limit(viewer))
        except (AnnouncementError, AudienceError) as refusal:
            await audit(session, viewer=viewer, action="announce_refused", target=spec)
            await send_html(
                context.bot, chat.id, html.escape(_(refusal.message).format(**refusal.params))
            )
            return
        if not audience.chat_ids:
            await send_html(context.bot, chat.id, _("Nobody in that audience uses the bot yet."))
            return
        draft = await create_batch(
            session,
            actor=viewer.actor,
            text=text,
            audience=audience.spec,
            author_chat_id=chat.id,
            author_language=viewer.language,
            status="draft",
        )
        draft.send_at = send_at
        draft.media_kind, draft.media_file_id = media or ("", "")
        await audit(
            session, viewer=viewer, action="announce_draft", target=f"announcement:{draft.id}"
        )
    lines = [
        _("Preview below. It will reach {count} people ({audience}).").format(
            count=len(audience.chat_ids), audience=html.escape(audience.spec)
        )
    ]
    if send_at is not None:
        local = send_at.astimezone(settings.tz).strftime("%d.%m.%Y %H:%M")
        lines.append(_("It will be sent at {time}.").format(time=local))
    await send_html(context.bot, chat.id, "\n".join(lines))
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Send"), callback_data=f"ann:send:{draft.id}"),
                InlineKeyboardButton(_("Cancel"), callback_data=f"ann:cancel:{draft.id}"),
            ],
            [
                InlineKeyboardButton(
                    _("Send and ask to confirm reading"), callback_data=f"ann:sendack:{draft.id}"
                )
            ],
        ]
    )
    if media is None:
        await send_html(context.bot, chat.id, text, reply_markup=buttons)
        return
    send = context.bot.send_photo if media[0] == "photo" else context.bot.send_document
    await send(chat.id, media[1], caption=text, parse_mode="HTML", reply_markup=buttons)


def _usage(viewer: Viewer) -> str:
    _ = gettext_for(viewer.language)
    lines = [
        _("Write the audience on the first line and the message below it, for example:"),
        "<code>/announce group:AM-21,KS-21\n" + html.escape(_("No lessons on Friday.")) + "</code>",
        _("To send it later, add the time after @ on the first line:"),
        "<code>/announce group:AM-21 @ 25.11.2026 08:00</code>",
        _("To send a photo or a file, write the same in its caption."),
    ]
    if viewer.is_admin:
        lines.append(
            _(
                "Audiences: all, students, staff, tutors, group:…, course:2, programme:…, "
                "building:…, dorm. Join several with ;"
            )
        )
    else:
        lines.append(_("Tutors can send only to their own groups."))
    return "\n".join(lines)


async def act_on_draft(update: Update, context: Context) -> None:
    """Send or cancel a draft; stale, forged or someone else's drafts get a polite answer."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = DRAFT_ACTION.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    action, batch_id = match.group(1), int(match.group(2))
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    async with context.bot_data.sessionmaker.begin() as session:
        draft = await session.get(Announcement, batch_id)
        if (
            draft is None
            or draft.actor != viewer.actor
            or draft.status != "draft"
            or not _may_announce(viewer)
        ):
            await audit(session, viewer=viewer, action="refused", target=f"announcement:{batch_id}")
            await query.answer(_("This draft is no longer available."), show_alert=True)
            return
        if action == "cancel":
            await cancel_draft(session, batch_id=batch_id)
            reply = _("Cancelled. Nothing was sent.")
        else:
            try:  # access and the audience are checked again now, not trusted from the preview
                audience = await resolve_audience(
                    session, draft.audience, limit_to_groups=_group_limit(viewer)
                )
            except AudienceError as refusal:
                await query.answer(_(refusal.message).format(**refusal.params), show_alert=True)
                return
            if not await confirm_draft(session, batch_id=batch_id):
                await query.answer(_("This draft is no longer available."), show_alert=True)
                return
            draft.requires_ack = action == "sendack"
            queued = await queue_recipients(session, batch=draft, audience=audience)
            await audit(
                session, viewer=viewer, action="announce", target=f"announcement:{batch_id}"
            )
            reply = _(
                "Announcement #{id} is queued for {count} people. Progress follows here."
            ).format(id=batch_id, count=queued)
    await query.answer()
    await query.edit_message_reply_markup(None)
    assert query.message is not None
    follow = author_buttons(viewer.language, batch_id) if action == "sendack" else None
    await send_html(context.bot, query.message.chat.id, reply, reply_markup=follow)


HANDLERS = [
    CommandHandler("announce", compose),
    MessageHandler(
        filters.ChatType.PRIVATE
        & (filters.PHOTO | filters.Document.ALL)
        & filters.CaptionRegex(r"^/announce(@\w+)?(\s|$)"),
        compose_with_media,
    ),
    CallbackQueryHandler(act_on_draft, pattern=DRAFT_ACTION),
]
