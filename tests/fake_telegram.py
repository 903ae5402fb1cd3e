"""A recording fake of Telegram at its real seam, BaseRequest, plus builders for updates."""

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    ChatMember,
    ChatMemberUpdated,
    InlineQuery,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.request import BaseRequest, RequestData

BOT_USER: dict[str, Any] = {
    "id": 999000,
    "is_bot": True,
    "first_name": "School Bot",
    "username": "school_bot",
}
_update_ids = itertools.count(1)


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None


class RecordingRequest(BaseRequest):
    """Answer every Bot API call like Telegram would, and remember it."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._message_ids = itertools.count(1000)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def do_request(  # type: ignore[override]  # PTB's DefaultValue-typed timeouts
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.json_parameters) if request_data else {}
        decoded = {key: _decode(value) for key, value in params.items()}
        files: dict[str, bytes] = {}
        if request_data and request_data.multipart_data:
            for name, part in request_data.multipart_data.items():
                content = part[1] if isinstance(part, tuple) else part
                files[name] = content if isinstance(content, bytes) else content.read()
        self.calls.append(Call(api_method, decoded, files))
        return 200, json.dumps({"ok": True, "result": self._result(api_method, decoded)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in {"sendMessage", "sendDocument", "sendPhoto", "editMessageText"}:
            message_id = params.get("message_id") or next(self._message_ids)
            return {
                "message_id": message_id,
                "date": int(datetime.now(UTC).timestamp()),
                "chat": {"id": params.get("chat_id", 0), "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        return True

    # What the user would see ------------------------------------------------------------
    def sent(self, chat: int) -> list[Call]:
        return [
            c for c in self.calls if c.chat_id == chat and c.method.startswith(("send", "edit"))
        ]

    def texts(self, chat: int) -> list[str]:
        return [str(c.params.get("text", c.params.get("caption", ""))) for c in self.sent(chat)]

    def last(self, chat: int) -> Call:
        sent = self.sent(chat)
        assert sent, f"nothing was sent to chat {chat}"
        return sent[-1]

    def last_text(self, chat: int) -> str:
        return self.texts(chat)[-1]

    def buttons(self, call: Call) -> list[str]:
        """Return the callback_data (inline) or text (reply keyboard) of every button."""
        markup = call.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [b.get("callback_data") or b.get("text", "") for row in rows for b in row]

    def clear(self) -> None:
        self.calls.clear()


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def make_user(user_id: int, *, first_name: str = "User", language_code: str | None = "lv") -> User:
    return User(user_id, first_name, False, language_code=language_code)


def _message(bot: Bot, text: str, user: User, *, chat_type: str = "private") -> Message:
    entities = []
    if text.startswith("/"):
        entities = [MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))]
    message = Message(
        next(_update_ids),
        datetime.now(UTC),
        Chat(user.id, chat_type),
        from_user=user,
        text=text,
        entities=entities,
    )
    message.set_bot(bot)
    return message


def text_update(bot: Bot, text: str, user: User) -> Update:
    """A private text message (commands included) from this user."""
    update = Update(next(_update_ids), message=_message(bot, text, user))
    update.set_bot(bot)
    return update


def callback_update(bot: Bot, data: str, user: User, *, message_id: int = 1000) -> Update:
    """A press of an inline button with this callback data under one of the bot's messages."""
    message = Message(
        message_id,
        datetime.now(UTC),
        Chat(user.id, "private"),
        from_user=User(999000, "School Bot", True, username="school_bot"),
    )
    message.set_bot(bot)
    query = CallbackQuery(str(next(_update_ids)), user, "chat", message=message, data=data)
    query.set_bot(bot)
    update = Update(next(_update_ids), callback_query=query)
    update.set_bot(bot)
    return update


BOT_ACCOUNT = User(999000, "School Bot", True, username="school_bot")


def chat_member_update(
    bot: Bot, user: User, status: str, *, chat: Chat | None = None, old: str = "member"
) -> Update:
    """The bot's own membership changed: blocked or restarted in private, added to a group."""
    change = ChatMemberUpdated(
        chat or Chat(user.id, "private"),
        user,
        datetime.now(UTC),
        ChatMember(BOT_ACCOUNT, old),
        ChatMember(BOT_ACCOUNT, status),
    )
    update = Update(next(_update_ids), my_chat_member=change)
    update.set_bot(bot)
    return update


def inline_update(bot: Bot, query: str, user: User) -> Update:
    """Someone typed `@bot <query>` in a chat."""
    inline = InlineQuery(str(next(_update_ids)), user, query, "")
    inline.set_bot(bot)
    update = Update(next(_update_ids), inline_query=inline)
    update.set_bot(bot)
    return update
