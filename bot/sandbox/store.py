"""Everything the emulator remembers, with the lookups that fail the way Telegram fails."""

import itertools
import re
import secrets
import time
from collections import Counter
from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.faults import Faults
from bot.sandbox.signal import Signal
from bot.sandbox.state import (
    CallbackQueryRecord,
    ChatMessage,
    ChatRecord,
    InlineQueryRecord,
    Notice,
    SandboxUser,
    StoredFile,
)
from bot.sandbox.updates import UpdateQueue
from bot.sandbox.webhook import WebhookState

GROUP_TYPES = frozenset({"group", "supergroup"})


class SandboxState:
    """Chats, messages, files, queries, commands and the update queue of one emulated bot."""

    def __init__(self, bot: SandboxUser, faults: Faults) -> None:
        self.bot = bot
        self.faults = faults
        self.signal = Signal()  # anything changed (for tests and the page)
        self.updates = UpdateQueue(Signal())  # wakes only its long polls and the webhook delivery
        self.webhook = WebhookState()
        self.chats: dict[int, ChatRecord] = {}
        self.messages: dict[int, dict[int, ChatMessage]] = {}  # chat -> message_id -> message
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.inline_queries: dict[str, InlineQueryRecord] = {}
        self.notices: list[Notice] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.delivered: Counter[int] = Counter()
        self._serial = itertools.count(1)

    def changed(self) -> None:
        """Wake whoever waits for news (tests, the page)."""
        self.signal.notify()

    def serial(self) -> int:
        """Return a number never returned before (ids of files, queries, notices)."""
        return next(self._serial)

    # Chats -----------------------------------------------------------------------------
    def register_user(self, user: SandboxUser) -> ChatRecord:
        """Make sure a person's private chat with the bot exists."""
        chat = self.chats.get(user.id)
        if chat is None:
            chat = self.chats[user.id] = ChatRecord(user.id, "private", user=user)
            self.messages[user.id] = {}
            self.changed()
        elif chat.user != user:  # a new name or language: Telegram sends the fresh profile
            chat.user = user
        return chat

    def register_chat(self, chat_id: int, *, type: str = "group", title: str = "") -> ChatRecord:
        """Make sure a group chat with the bot in it exists."""
        if type not in GROUP_TYPES:
            raise ValueError(f"a registered chat is a group or supergroup, not {type!r}")
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = ChatRecord(
                chat_id, type, title=title or f"Group {chat_id}"
            )
            self.messages[chat_id] = {}
            self.changed()
        return chat

    def chat(self, chat_id: int) -> ChatRecord:
        """Return a chat the bot can reach, or raise "chat not found"."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    # Messages --------------------------------------------------------------------------
    def add_message(self, chat: ChatRecord, sender: SandboxUser, **fields: Any) -> ChatMessage:
        """Append a message to a chat with the chat's next message_id."""
        message = ChatMessage(chat=chat, message_id=chat.next_message_id, sender=sender, **fields)
        chat.next_message_id += 1
        if sender.is_bot:
            chat.typing_until = 0.0  # a message ends the "typing..." action, as in Telegram
        self.messages[chat.id][message.message_id] = message
        self.changed()
        return message

    def find_message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        """Return a message still in the chat, or None."""
        return self.messages.get(chat_id, {}).get(message_id)

    def remove_message(self, message: ChatMessage) -> None:
        del self.messages[message.chat.id][message.message_id]
        self.changed()

    def before_send(self, chat: ChatRecord) -> None:
        """Apply blocks and flood limits to one more message from the bot."""
        self.faults.check_send(chat.id, is_group=chat.type in GROUP_TYPES)

    def after_send(self, chat: ChatRecord) -> None:
        """Count a message the bot delivered."""
        self.faults.record_send(chat.id, is_group=chat.type in GROUP_TYPES)
        self.delivered[chat.id] += 1

    # Files -----------------------------------------------------------------------------
    def store_file(
        self, kind: str, data: bytes, file_name: str, mime_type: str | None, size: tuple[int, int]
    ) -> StoredFile:
        """Keep an uploaded file and give it Bot API identifiers."""
        serial = self.serial()
        prefix = "BQAC" if kind == "document" else "AgAC"
        stored = StoredFile(
            file_id=f"{prefix}{serial:06d}{secrets.token_urlsafe(12)}",
            file_unique_id=f"AQAD{serial:06d}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{kind}s/file_{serial}{_suffix(file_name)}",
            width=size[0],
            height=size[1],
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        """Return the file a /file/bot<token>/<path> URL names."""
        return next((f for f in self.files.values() if f.file_path == path), None)

    # Typing indicators -----------------------------------------------------------------
    def set_action(self, chat: ChatRecord, seconds: float = 5.0) -> None:
        """Show "typing..." in the chat for a few seconds, as sendChatAction does."""
        chat.typing_until = time.time() + seconds
        self.changed()


def _suffix(file_name: str) -> str:
    """Return a file name's extension if it is a plain one (".pdf", ".xlsx"), else ""."""
    match = re.search(r"\.[A-Za-z0-9]{1,8}$", file_name)
    return match.group().lower() if match else ""
