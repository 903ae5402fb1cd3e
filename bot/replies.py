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
        if len(candidate) > limit:
            yield chunk
            chunk = line
        else:
            chunk = candidate
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
