"""Sending answers: HTML text split to Telegram's 4096-character limit, personal data protected."""

from collections.abc import Iterator

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply

MESSAGE_LIMIT = 4096


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> Iterator[str]:
    """Split text into chunks of at most `limit` characters, preferring paragraph breaks.

    Our own HTML never spans lines, so cutting between lines keeps the tags balanced.
    """
    chunk = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single over-long line: cut it hard
            if chunk:
                yield chunk
                chunk = ""
            yield line[:limit]
            line = line[limit:]
        candidate = f"{chunk}\n{line}" if chunk else line
        if len(candidate) <= limit:
            chunk = candidate
            continue
        # Cut at the last paragraph break if there is one: a day stays in one message.
        head, blank, tail = chunk.rpartition("\n\n")
        if blank and head.strip() and len(f"{tail}\n{line}") <= limit:
            yield head
            chunk = f"{tail}\n{line}"
        else:
            yield chunk
            chunk = line
    if chunk.strip():
        yield chunk


async def send_html(
    bot: Bot,
    chat_id: int,
    text: str,
    *,
    reply_markup: ReplyMarkup | None = None,
    protect: bool = False,
) -> Message:
    """Send HTML text in as many messages as it needs; buttons go under the last one."""
    parts = list(split_message(text)) or [text]
    message: Message | None = None
    for index, part in enumerate(parts):
        message = await bot.send_message(
            chat_id,
            part,
            parse_mode="HTML",
            reply_markup=reply_markup if index == len(parts) - 1 else None,
            protect_content=protect,
        )
    assert message is not None
    return message


async def edit_html(
    bot: Bot,
    chat_id: int,
    message_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    protect: bool = False,
) -> None:
    """Replace a message's HTML text; what does not fit follows in new messages."""
    first, *rest = list(split_message(text)) or [text]
    try:
        await bot.edit_message_text(
            first,
            chat_id,
            message_id,
            parse_mode="HTML",
            reply_markup=None if rest else reply_markup,
        )
    except BadRequest as error:
        if "not modified" not in str(error).lower():  # the same button pressed twice
            raise
    for index, part in enumerate(rest, start=1):
        last = index == len(rest)
        await send_html(
            bot, chat_id, part, reply_markup=reply_markup if last else None, protect=protect
        )
