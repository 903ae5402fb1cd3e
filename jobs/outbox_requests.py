"""One outbox row as a Bot API request, and the wait a 429 asks for."""

import warnings
from datetime import timedelta
from typing import TypedDict

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from models.outbox import OutboxMessage


def retry_after_seconds(error: RetryAfter) -> float:
    """Read RetryAfter's wait whichever way PTB is configured to report it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class _SendOptions(TypedDict):
    """What every kind of outbox message is sent with."""

    parse_mode: str
    protect_content: bool
    disable_notification: bool
    reply_markup: InlineKeyboardMarkup | None


async def send_row(bot: Bot, row: OutboxMessage, *, silent: bool) -> Message:
    """Send one outbox row as the message, photo or file it is."""
    markup = None
    if row.button_data:
        button = InlineKeyboardButton(row.button_text, callback_data=row.button_data)
        markup = InlineKeyboardMarkup([[button]])
    common = _SendOptions(
        parse_mode="HTML",
        protect_content=row.protect,
        disable_notification=silent,
        reply_markup=markup,
    )
    caption = row.caption or row.text or None
    if row.media_file_id:  # a photo or file the author sent us, forwarded by its file_id
        if row.media_kind == "photo":
            return await bot.send_photo(row.chat_id, row.media_file_id, caption=caption, **common)
        return await bot.send_document(row.chat_id, row.media_file_id, caption=caption, **common)
    if row.document is not None:
        upload = InputFile(row.document, filename=row.filename or "file")
        return await bot.send_document(row.chat_id, upload, caption=caption, **common)
    if row.photo is not None:
        upload = InputFile(row.photo, filename=row.filename or "photo.jpg")
        return await bot.send_photo(row.chat_id, upload, caption=caption, **common)
    return await bot.send_message(row.chat_id, row.text, **common)
