"""The emulator's records: people, chats, messages, files and queries, as plain dataclasses."""

import time
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.entities import Entity


@dataclass(frozen=True)
class SandboxUser:
    """A Telegram account: a person driving the bot, or the bot itself."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        """Return the Bot API User object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                user[key] = getattr(self, key)
        return user


@dataclass
class StoredFile:
    """An uploaded document or photo, kept in memory with its Bot API identifiers."""

    file_id: str
    file_unique_id: str
    kind: str  # "document" or "photo"
    data: bytes
    file_name: str
    mime_type: str | None
    file_path: str  # under /file/bot<token>/, like Telegram's "documents/file_3.pdf"
    width: int = 0
    height: int = 0

    def to_api(self) -> dict[str, Any]:
        """Return the Bot API Document or PhotoSize object."""
        base: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.kind == "photo":
            return {**base, "width": self.width, "height": self.height}
        base["file_name"] = self.file_name
        if self.mime_type:
            base["mime_type"] = self.mime_type
        return base


@dataclass
class ChatRecord:
    """A chat the bot can reach: a private chat with a person, or a group."""

    id: int
    type: str
    title: str | None = None
    user: SandboxUser | None = None
    next_message_id: int = 1
    reply_keyboard: dict[str, Any] | None = None
    typing_until: float = 0.0
    menu_button: dict[str, Any] = field(default_factory=lambda: {"type": "default"})

    def to_api(self) -> dict[str, Any]:
        """Return the Bot API Chat object."""
        chat: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.user is not None:
            chat.update({k: v for k, v in self.user.to_api().items() if k in _CHAT_NAME_KEYS})
        if self.title:
            chat["title"] = self.title
        return chat


_CHAT_NAME_KEYS = {"first_name", "last_name", "username"}


@dataclass
class ChatMessage:
    """One message in a chat, as the bot sent it or a person wrote it."""

    chat: ChatRecord
    message_id: int
    sender: SandboxUser
    date: int = field(default_factory=lambda: int(time.time()))
    text: str | None = None
    entities: list[Entity] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[Entity] = field(default_factory=list)
    document: StoredFile | None = None
    photo: StoredFile | None = None
    reply_markup: dict[str, Any] | None = None
    protect_content: bool = False
    link_preview_options: dict[str, Any] | None = None
    reply_to: "ChatMessage | None" = None
    edit_date: int | None = None
    via_bot: SandboxUser | None = None

    @property
    def from_bot(self) -> bool:
        return self.sender.is_bot

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        """Return the rows of inline buttons under this message (empty when there are none)."""
        if self.reply_markup is None:
            return []
        rows: list[list[dict[str, Any]]] = self.reply_markup.get("inline_keyboard", [])
        return rows

    @property
    def callback_data(self) -> list[str]:
        """Return the callback_data of every inline button, in reading order."""
        return [
            b["callback_data"] for row in self.inline_keyboard for b in row if "callback_data" in b
        ]

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        """Return the Bot API Message object."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender.to_api(),
            "chat": self.chat.to_api(),
            "date": self.date,
        }
        if self.text is not None:
            message["text"] = self.text
            if self.entities:
                message["entities"] = self.entities
        if self.document is not None:
            message["document"] = self.document.to_api()
        if self.photo is not None:
            message["photo"] = [self.photo.to_api()]
        if self.caption is not None:
            message["caption"] = self.caption
            if self.caption_entities:
                message["caption_entities"] = self.caption_entities
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = {"inline_keyboard": self.reply_markup["inline_keyboard"]}
        if self.protect_content:
            message["has_protected_content"] = True
        if self.link_preview_options:
            message["link_preview_options"] = self.link_preview_options
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.via_bot is not None:
            message["via_bot"] = self.via_bot.to_api()
        if with_reply and self.reply_to is not None:
            message["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        return message


@dataclass
class CallbackQueryRecord:
    """A press of an inline button and, once the bot answered, its answer."""

    id: str
    user: SandboxUser
    message: ChatMessage
    data: str
    answer: dict[str, Any] | None = None


@dataclass
class InlineQueryRecord:
    """An inline query typed by a person and, once the bot answered, its results."""

    id: str
    user: SandboxUser
    query: str
    answer: list[dict[str, Any]] | None = None
    next_offset: str = ""


@dataclass
class Notice:
    """A callback answer's text, shown to the person as a toast or an alert."""

    id: int
    chat_id: int
    text: str
    show_alert: bool
