"""One outbox row as a Bot API request, a 429's wait, and whether a failed one may have arrived."""

import warnings
from datetime import timedelta
from typing import TypedDict

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.error import RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from models.outbox import OutboxMessage


def retry_after_seconds(error: RetryAfter) -> float:
    """Read RetryAfter's wait whichever way PTB is configured to report it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# The request never left this machine: Telegram cannot have delivered it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
CONNECT_TIMEOUT = 10.0


def may_have_arrived(error: TelegramError) -> bool:
    """Tell whether a failed request may have been delivered all the same.

    True when the request reached Telegram and no answer came back (a read timeout, a dropped
    connection); false when Telegram answered with an error, or the request was never sent.
    """
    cause = error.__cause__
    return isinstance(cause, httpx.HTTPError) and not isinstance(cause, _NOT_SENT)


class _SendOptions(TypedDict):
    """What every kind of outbox message is sent with."""

    parse_mode: str
    protect_content: bool
    disable_notification: bool
    reply_markup: InlineKeyboardMarkup | None
    read_timeout: float
    write_timeout: float
    connect_timeout: float
    pool_timeout: float


async def send_row(bot: Bot, row: OutboxMessage, *, silent: bool, wait_up_to: float) -> Message:
    """Send one outbox row as the message, photo or file it is, waiting up to `wait_up_to` s."""
    markup = None
    if row.button_data:
        button = InlineKeyboardButton(row.button_text, callback_data=row.button_data)
        markup = InlineKeyboardMarkup([[button]])
    common = _SendOptions(
        parse_mode="HTML",
        protect_content=row.protect,
        disable_notification=silent,
        reply_markup=markup,
        read_timeout=wait_up_to,
        write_timeout=wait_up_to,
        connect_timeout=min(wait_up_to, CONNECT_TIMEOUT),
        pool_timeout=wait_up_to,
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
