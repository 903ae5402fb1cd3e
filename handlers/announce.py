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
from models.access import Viewer, require
from models.announcement_drafts import (
    AnnouncementError,
    Preview,
    Request,
    author_of,
    cancel,
    confirm,
    create_draft,
)

DRAFT_ACTION = CallbackPattern(r"^ann:(send|sendack|cancel):(\d{1,10})$", is_word, is_id)
COMMAND = re.compile(r"^/announce(@\w+)?[ \t]*", re.IGNORECASE)


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


def parse_request(body: str, media: tuple[str, str] | None) -> Request | None:
    """Split the first line, `<audience> [@ <time>]`, from the text; None if either is missing."""
    first_line, _newline, text = body.partition("\n")
    spec, _at, when = (html.unescape(part.strip()) for part in first_line.partition("@"))
    if not spec or not text.strip():
        return None
    return Request(audience=spec, text=text, send_at=when, media=media)


async def _draft(
    update: Update, context: Context, body: str, *, media: tuple[str, str] | None
) -> None:
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    author = author_of(viewer, chat_id=chat.id)
    require(author.allowed, "announce")
    _ = gettext_for(viewer.language)
    request = parse_request(body, media)
    if request is None:
        await send_html(context.bot, chat.id, _usage(viewer))
        return
    settings = context.bot_data.settings
    answer: Preview | str
    async with context.bot_data.sessionmaker.begin() as session:  # a refusal's audit row stays
        try:
            answer = await create_draft(
                session, author=author, request=request, now=datetime.now(UTC), tz=settings.tz
            )
        except AnnouncementError as refusal:
            answer = _(refusal.message).format(**refusal.params)
    if isinstance(answer, str):
        await send_html(context.bot, chat.id, html.escape(answer))
        return
    await _show_preview(context, chat.id, viewer, answer, media)


async def _show_preview(
    context: Context, chat_id: int, viewer: Viewer, shown: Preview, media: tuple[str, str] | None
) -> None:
    _ = gettext_for(viewer.language)
    lines = [
        _("Preview below. It will reach {count} people ({audience}).").format(
            count=shown.count, audience=html.escape(shown.audience.spec)
        )
    ]
    if shown.send_at is not None:
        local = shown.send_at.astimezone(context.bot_data.settings.tz).strftime("%d.%m.%Y %H:%M")
        lines.append(_("It will be sent at {time}.").format(time=local))
    await send_html(context.bot, chat_id, "\n".join(lines))
    draft = shown.draft_id
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Send"), callback_data=f"ann:send:{draft}"),
                InlineKeyboardButton(_("Cancel"), callback_data=f"ann:cancel:{draft}"),
            ],
            [
                InlineKeyboardButton(
                    _("Send and ask to confirm reading"), callback_data=f"ann:sendack:{draft}"
                )
            ],
        ]
    )
    if media is None:
        await send_html(context.bot, chat_id, shown.text, reply_markup=buttons)
        return
    send = context.bot.send_photo if media[0] == "photo" else context.bot.send_document
    await send(chat_id, media[1], caption=shown.text, parse_mode="HTML", reply_markup=buttons)


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
    assert query is not None and query.data is not None and query.message is not None
    match = DRAFT_ACTION.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    action, draft_id = match.group(1), int(match.group(2))
    viewer = viewer_of(context)
    author = author_of(viewer, chat_id=query.message.chat.id)
    _ = gettext_for(viewer.language)
    refused = True
    async with context.bot_data.sessionmaker.begin() as session:  # a refusal's audit row stays
        try:
            if action == "cancel":
                await cancel(session, author=author, draft_id=draft_id)
                reply = _("Cancelled. Nothing was sent.")
            else:
                queued = await confirm(
                    session,
                    author=author,
                    draft_id=draft_id,
                    requires_ack=action == "sendack",
                    translate=gettext_for,
                )
                reply = _(
                    "Announcement #{id} is queued for {count} people. Progress follows here."
                ).format(id=draft_id, count=queued)
            refused = False
        except AnnouncementError as refusal:
            reply = _(refusal.message).format(**refusal.params)
    if refused:
        await query.answer(reply, show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    follow = author_buttons(viewer.language, draft_id) if action == "sendack" else None
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
