"""The "Read" button under an announcement, and the author's view of who has pressed it."""

import html
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.chat.callback_data import CallbackPattern, is_id, is_word
from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.i18n import gettext_for
from models.access import Viewer, audit
from models.acknowledgements import (
    list_readers,
    queue_reminder,
    read_figures,
    record_read,
    was_recipient,
)
from models.announcements import Announcement, get_batch

CONFIRM = CallbackPattern(r"^ack:(\d{1,10})$", is_id)
AUTHOR_ACTION = CallbackPattern(r"^ack:(who|remind):(\d{1,10})$", is_word, is_id)


def author_buttons(language: str, batch_id: int) -> InlineKeyboardMarkup:
    """Buttons for the author of an announcement that asks to confirm reading."""
    _ = gettext_for(language)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("👀 Who has read it"), callback_data=f"ack:who:{batch_id}"),
                InlineKeyboardButton(
                    _("🔔 Remind the rest"), callback_data=f"ack:remind:{batch_id}"
                ),
            ]
        ]
    )


async def confirm_read(update: Update, context: Context) -> None:
    """Record that a recipient has read the announcement and take the button away."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = CONFIRM.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    batch_id = int(match.group(1))
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    async with context.bot_data.sessionmaker.begin() as session:
        if not await was_recipient(session, batch_id=batch_id, telegram_id=viewer.telegram_id):
            await audit(session, viewer=viewer, action="refused", target=f"ack:{batch_id}")
            await query.answer(_("This button is out of date. Please ask again."))
            return
        await record_read(session, batch_id=batch_id, telegram_id=viewer.telegram_id)
    await query.answer(_("Thank you, noted."))
    await query.edit_message_reply_markup(None)


def _may_follow(viewer: Viewer, batch: Announcement | None) -> bool:
    return (
        batch is not None
        and batch.requires_ack
        and (viewer.is_admin or batch.actor == viewer.actor)
    )


async def follow_up(update: Update, context: Context) -> None:
    """Show the author who has confirmed, or send one reminder to those who have not."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    match = AUTHOR_ACTION.match(query.data)
    assert match is not None  # guaranteed by the handler's pattern
    action, batch_id = match.group(1), int(match.group(2))
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    async with context.bot_data.sessionmaker.begin() as session:
        batch = await get_batch(session, batch_id=batch_id)
        if not _may_follow(viewer, batch):
            await audit(session, viewer=viewer, action="refused", target=f"ack:{batch_id}")
            await query.answer(_("This button is out of date. Please ask again."))
            return
        assert batch is not None
        await audit(
            session, viewer=viewer, action=f"ack:{action}", target=f"announcement:{batch_id}"
        )
        if action == "remind":
            queued = await queue_reminder(
                session,
                batch=batch,
                default_language=settings.default_language,
                now=datetime.now(UTC),
                translate=gettext_for,
            )
            text = (
                _("A reminder was already sent for this announcement.")
                if queued is None
                else _("Reminder queued. Recipients: {count}.").format(count=queued)
            )
        else:
            figures = await read_figures(session, batch_id=batch_id)
            readers, others = await list_readers(session, batch_id=batch_id)
            lines = [
                _("<b>Announcement #{id}</b>: read by {read} of {delivered}.").format(
                    id=batch_id, read=figures.read, delivered=figures.delivered
                )
            ]
            if readers:
                lines += ["", _("Confirmed:"), ", ".join(html.escape(name) for name in readers)]
            if others:
                lines += ["", _("Not yet:"), ", ".join(html.escape(name) for name in others)]
            text = "\n".join(lines)
    await query.answer()
    await send_html(context.bot, query.message.chat.id, text, protect=True)


HANDLERS = [
    CallbackQueryHandler(confirm_read, pattern=CONFIRM),
    CallbackQueryHandler(follow_up, pattern=AUTHOR_ACTION),
]
