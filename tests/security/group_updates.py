"""Updates from outside the private chat, and every command and button the bot has."""

import itertools
import re
from datetime import UTC, datetime
from re import _parser as sre  # type: ignore[attr-defined]  # the stdlib's regex parser, untyped
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    Message,
    MessageEntity,
    MessageOriginChannel,
    Update,
    User,
)
from telegram.ext import CallbackQueryHandler, CommandHandler

import handlers
from bot.chat.callback_data import CallbackPattern
from bot.i18n import LANGUAGES, gettext_for
from tests.fake_telegram import BOT_ACCOUNT, Call, RecordingRequest

_ids = itertools.count(700_000)

GROUP = Chat(-4001, "group", title="A group")
SUPERGROUP = Chat(-1001000004002, "supergroup", title="A supergroup")
CHANNEL = Chat(-1001000004003, "channel", title="A channel")
NOTICE = "I show personal data only in our private chat. Open it with the button below."
# A channel post has no sender, so its notice is in the school's default language.
NOTICES = {gettext_for(language)(NOTICE): language for language in LANGUAGES}
PRIVATE_CHAT_LINK = "https://t.me/school_bot"
SEEN = ("send", "edit", "answerCallbackQuery", "answerInlineQuery", "copy", "forward")


def chat_message(
    bot: Bot, text: str, user: User | None, chat: Chat, *, edited: bool = False
) -> Update:
    """A text in a group (from a user) or a post in a channel (from nobody), or its edit."""
    entities = []
    if text.startswith("/"):
        entities = [MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))]
    message = Message(
        next(_ids),
        datetime.now(UTC),
        chat,
        from_user=user,
        text=text,
        entities=entities,
        sender_chat=chat if user is None else None,
    )
    message.set_bot(bot)
    if chat.type == "channel":
        update = Update(next(_ids), channel_post=message)
    elif edited:
        update = Update(next(_ids), edited_message=message)
    else:
        update = Update(next(_ids), message=message)
    update.set_bot(bot)
    return update


def forwarded_post(bot: Bot, user: User, chat: Chat) -> Update:
    """A channel's post that the user forwarded to their private chat with the bot."""
    origin = MessageOriginChannel(datetime.now(UTC), chat, 5)
    message = Message(
        next(_ids),
        datetime.now(UTC),
        Chat(user.id, "private"),
        from_user=user,
        text="A post",
        forward_origin=origin,
    )
    message.set_bot(bot)
    update = Update(next(_ids), message=message)
    update.set_bot(bot)
    return update


def chat_press(bot: Bot, data: str, user: User, chat: Chat | None) -> Update:
    """A press of a button under the bot's message in a chat; no chat: an inline-mode message."""
    message = None
    if chat is not None:
        message = Message(next(_ids), datetime.now(UTC), chat, from_user=BOT_ACCOUNT)
        message.set_bot(bot)
    query = CallbackQuery(
        str(next(_ids)),
        user,
        "chat",
        message=message,
        data=data,
        inline_message_id=None if chat else "inline-1",
    )
    query.set_bot(bot)
    update = Update(next(_ids), callback_query=query)
    update.set_bot(bot)
    return update


def visible(telegram: RecordingRequest) -> list[Call]:
    """Every request that shows something to someone."""
    return [c for c in telegram.calls if c.method.startswith(SEEN)]


def every_command() -> list[str]:
    """Every command the bot has a handler for."""
    names = {n for _, h in handlers.HANDLERS if isinstance(h, CommandHandler) for n in h.commands}
    return sorted(names)


def every_button() -> list[str]:
    """Callback data matching each button pattern of the bot (and one nothing matches)."""
    data = []
    for _, handler in handlers.HANDLERS:
        if isinstance(handler, CallbackQueryHandler):
            pattern = handler.pattern
            assert pattern is None or isinstance(pattern, re.Pattern | CallbackPattern), pattern
            data.append(sample(pattern) if pattern else "nobody:handles:this")
    return data


def sample(pattern: re.Pattern[str] | CallbackPattern) -> str:
    """Return a short string the pattern matches (first branches, fewest repeats, digits 1).

    Months and days that must exist are made real ones: "1111-11" is no month a button holds.
    """
    regex = pattern.regex if isinstance(pattern, CallbackPattern) else pattern
    text = _render(sre.parse(regex.pattern))
    if not pattern.match(text):
        text = re.sub(r"(?<!\d)1111-11(?!\d)", "2026-11", text)
        text = re.sub(r"(?<!\d)11111111(?!\d)", "20261124", text)
    assert pattern.match(text), (pattern, text)
    return text


def _render(parsed: Any) -> str:
    return "".join(_render_one(op, arg) for op, arg in parsed)


def _render_one(op: Any, arg: Any) -> str:
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "IN":
        return _render_class(arg)
    if name in ("MAX_REPEAT", "MIN_REPEAT"):
        low, _high, inner = arg
        return _render(inner) * max(int(low), 1)
    if name == "SUBPATTERN":
        return _render(arg[-1])
    if name == "BRANCH":
        return _render(arg[1][0])
    if name == "AT":
        return ""
    if name == "ANY":
        return "a"
    raise NotImplementedError(name)


def _render_class(items: Any) -> str:
    op, arg = items[0]
    if str(op) == "CATEGORY":
        return "1" if "DIGIT" in str(arg) else "a"
    if str(op) == "RANGE":
        return chr(arg[0])
    return chr(arg)
