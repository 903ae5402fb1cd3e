"""The Bot API emulator: answers the bot's calls, and lets tests and the page act as people."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox import (
    commands,
    methods_bot,
    methods_files,
    methods_messages,
    methods_queries,
    methods_webhook,
)
from bot.sandbox.delivery import WebhookDelivery
from bot.sandbox.entities import detect
from bot.sandbox.errors import not_found
from bot.sandbox.faults import Faults
from bot.sandbox.methods_files import guess_mime, image_size
from bot.sandbox.params import Params
from bot.sandbox.state import (
    CallbackQueryRecord,
    ChatMessage,
    ChatRecord,
    InlineQueryRecord,
    SandboxUser,
)
from bot.sandbox.store import SandboxState
from bot.sandbox.validation import MESSAGE_LIMIT

logger = logging.getLogger(__name__)

SANDBOX_TOKEN = "123456:SANDBOX"
Method = Callable[[SandboxState, Params], Awaitable[Any]]
METHODS: dict[str, Method] = {
    **methods_messages.METHODS,
    **methods_files.METHODS,
    **methods_queries.METHODS,
    **methods_bot.METHODS,
    **methods_webhook.METHODS,
    **commands.METHODS,
}
WEBHOOK_CHANGES = frozenset({"setwebhook", "deletewebhook"})


class BotApiEmulator:
    """One emulated bot: the Bot API it serves, the people who talk to it, the faults it shows."""

    def __init__(
        self,
        *,
        token: str = SANDBOX_TOKEN,
        bot_name: str = "School Bot",
        bot_username: str = "school_sandbox_bot",
        faults: Faults | None = None,
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("a bot token looks like 123456:SECRET")
        self.token = token
        self.faults = faults or Faults()
        bot = SandboxUser(int(bot_id), bot_name, username=bot_username, is_bot=True)
        self.state = SandboxState(bot, self.faults)
        self._read_up_to: dict[int, int] = {}
        self.delivery = WebhookDelivery(self.state, self.call)

    @property
    def bot(self) -> SandboxUser:
        return self.state.bot

    async def call(self, method: str, params: Params) -> Any:
        """Answer one Bot API call, or raise ApiError with Telegram's code and description."""
        name = method.lower()
        handler = METHODS.get(name)
        if handler is None:
            raise not_found()
        if self.faults.delay > 0 and self.faults.hits(name):
            await asyncio.sleep(self.faults.delay)
        error = self.faults.server_error(name)
        if error is not None:
            logger.info("sandbox: injected %s for %s", error.error_code, method)
            raise error
        result = await handler(self.state, params)
        if name in WEBHOOK_CHANGES:
            await self.delivery.follow(self.state.webhook.config)
        return result

    async def close(self) -> None:
        """Stop delivering to a webhook and release every long poll and waiter."""
        await self.delivery.stop()
        self.state.updates.close()
        self.state.signal.close()

    # Chats -----------------------------------------------------------------------------
    def register_user(self, user: SandboxUser) -> ChatRecord:
        """Create a person's private chat, as if they had pressed Start earlier."""
        return self.state.register_user(user)

    def register_chat(self, chat_id: int, *, type: str = "group", title: str = "") -> ChatRecord:
        """Create a group chat the bot is a member of."""
        return self.state.register_chat(chat_id, type=type, title=title)

    def _chat_of(self, user: SandboxUser, chat_id: int | None) -> ChatRecord:
        if chat_id is None or chat_id == user.id:
            return self.state.register_user(user)
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise ValueError(f"chat {chat_id} is not registered")
        return chat

    # People's side ---------------------------------------------------------------------
    async def user_sends(
        self, user: SandboxUser, text: str, *, chat_id: int | None = None
    ) -> ChatMessage:
        """Let a person send a text (commands get their bot_command entity, as in Telegram)."""
        text = text.strip()
        if not text or len(text) > MESSAGE_LIMIT:
            raise ValueError("a person can send 1 to 4096 characters")
        chat = self._chat_of(user, chat_id)
        keyboard = chat.reply_keyboard
        one_time = bool(keyboard and keyboard.get("one_time_keyboard"))
        if (
            keyboard
            and one_time
            and any(b["text"] == text for r in keyboard["keyboard"] for b in r)
        ):
            chat.reply_keyboard = None
        message = self.state.add_message(chat, user, text=text, entities=detect(text, []))
        self.state.updates.put("message", message.to_api())
        return message

    async def send_document(
        self,
        user: SandboxUser,
        file_name: str,
        data: bytes,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> ChatMessage:
        """Let a person send a file; the bot can fetch it with getFile."""
        chat = self._chat_of(user, chat_id)
        mime = guess_mime(file_name, mime_type)
        stored = self.state.store_file("document", data, file_name, mime, (0, 0))
        message = self.state.add_message(chat, user, document=stored, caption=caption or None)
        self.state.updates.put("message", message.to_api())
        return message

    async def send_photo(
        self,
        user: SandboxUser,
        data: bytes,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> ChatMessage:
        """Let a person send a picture (JPEG or PNG)."""
        chat = self._chat_of(user, chat_id)
        size = image_size(data)
        stored = self.state.store_file("photo", data, "photo.jpg", "image/jpeg", size)
        message = self.state.add_message(chat, user, photo=stored, caption=caption or None)
        self.state.updates.put("message", message.to_api())
        return message

    async def press_button(
        self, user: SandboxUser, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> str:
        """Press an inline button under one of the bot's messages; return the query id."""
        chat = self._chat_of(user, chat_id)
        message = self.state.find_message(chat.id, message_id)
        if message is None or callback_data not in message.callback_data:
            raise ValueError(f"no button {callback_data!r} under message {message_id} in {chat.id}")
        query_id = str(4_000_000_000_000 + self.state.serial())
        self.state.callback_queries[query_id] = CallbackQueryRecord(
            query_id, user, message, callback_data
        )
        self.state.updates.put(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_api(),
                "message": message.to_api(),
                "chat_instance": str(abs(chat.id) * 31 + 7),
                "data": callback_data,
            },
        )
        return query_id

    async def inline_query(self, user: SandboxUser, query: str, *, offset: str = "") -> str:
        """Type "@bot query" in a chat; return the query id (see inline_answer)."""
        query_id = str(5_000_000_000_000 + self.state.serial())
        self.state.inline_queries[query_id] = InlineQueryRecord(query_id, user, query)
        self.state.updates.put(
            "inline_query",
            {
                "id": query_id,
                "from": user.to_api(),
                "query": query,
                "offset": offset,
                "chat_type": "sender",
            },
        )
        return query_id

    # What people see -------------------------------------------------------------------
    def conversation(self, chat_id: int) -> list[ChatMessage]:
        """Return every message in the chat, both sides, oldest first."""
        return list(self.state.messages.get(chat_id, {}).values())

    def messages_for(self, chat_id: int) -> list[ChatMessage]:
        """Return what the bot sent to the chat (and has not deleted), oldest first."""
        return [m for m in self.conversation(chat_id) if m.from_bot]

    def delivered(self, chat_id: int) -> int:
        """Return how many messages the bot successfully sent to the chat, ever."""
        return self.state.delivered[chat_id]

    async def wait_for_bot_message(self, chat_id: int, timeout: float = 5.0) -> ChatMessage:  # noqa: ASYNC109
        """Return the bot's next message in the chat; each message is returned once, in order."""

        def unread() -> ChatMessage | None:
            last = self._read_up_to.get(chat_id, 0)
            return next((m for m in self.messages_for(chat_id) if m.message_id > last), None)

        if not await self.state.signal.wait_until(lambda: unread() is not None, timeout):
            raise TimeoutError(f"the bot sent nothing to chat {chat_id} within {timeout} s")
        message = unread()
        assert message is not None
        self._read_up_to[chat_id] = message.message_id
        return message

    async def callback_answer(self, query_id: str, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """Wait for the bot's answerCallbackQuery to a press and return it."""
        query = self.state.callback_queries[query_id]
        if not await self.state.signal.wait_until(lambda: query.answer is not None, timeout):
            raise TimeoutError(f"callback query {query_id} was not answered within {timeout} s")
        assert query.answer is not None
        return query.answer

    async def inline_answer(self, query_id: str, timeout: float = 5.0) -> list[dict[str, Any]]:  # noqa: ASYNC109
        """Wait for the bot's answerInlineQuery and return the results."""
        query = self.state.inline_queries[query_id]
        if not await self.state.signal.wait_until(lambda: query.answer is not None, timeout):
            raise TimeoutError(f"inline query {query_id} was not answered within {timeout} s")
        assert query.answer is not None
        return query.answer
