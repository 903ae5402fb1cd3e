"""What the chat page shows of a chat, as JSON: bubbles, buttons, files, keyboard, toasts."""

from typing import Any

from bot.sandbox.commands import commands_for
from bot.sandbox.state import ChatMessage, StoredFile
from bot.sandbox.store import SandboxState

HISTORY = 300  # the page shows the latest messages only


def file_url(stored: StoredFile) -> str:
    return f"/api/files/{stored.file_id}"


def message_view(message: ChatMessage) -> dict[str, Any]:
    """Return one bubble: text with entities, media, buttons, badges."""
    view: dict[str, Any] = {
        "id": message.message_id,
        "from_bot": message.from_bot,
        "sender": message.sender.first_name,
        "date": message.date,
        "edit_date": message.edit_date,
        "text": message.text,
        "entities": message.entities,
        "caption": message.caption,
        "caption_entities": message.caption_entities,
        "protected": message.protect_content,
        "buttons": message.inline_keyboard,
        "document": None,
        "photo": None,
        "reply_to": None,
    }
    if message.document is not None:
        view["document"] = {
            "name": message.document.file_name,
            "size": len(message.document.data),
            "mime": message.document.mime_type,
            "url": file_url(message.document),
        }
    if message.photo is not None:
        view["photo"] = {
            "url": file_url(message.photo),
            "width": message.photo.width,
            "height": message.photo.height,
        }
    if message.reply_to is not None:
        quoted = message.reply_to
        view["reply_to"] = {
            "id": quoted.message_id,
            "sender": quoted.sender.first_name,
            "snippet": (quoted.text or quoted.caption or "")[:80],
        }
    return view


def chat_view(state: SandboxState, chat_id: int, language: str | None) -> dict[str, Any]:
    """Return everything the page needs to draw one chat."""
    chat = state.chats.get(chat_id)
    messages = list(state.messages.get(chat_id, {}).values())[-HISTORY:]
    keyboard = chat.reply_keyboard if chat else None
    return {
        "version": state.signal.version,
        "chat_id": chat_id,
        "messages": [message_view(m) for m in messages],
        "keyboard": keyboard,
        "notices": [
            {"id": n.id, "text": n.text, "show_alert": n.show_alert}
            for n in state.notices
            if n.chat_id == chat_id
        ][-10:],
        "commands": commands_for(state, chat, language) if chat else [],
        "typing_until": chat.typing_until if chat else 0,
        "blocked": chat_id in state.faults.blocked,
        "rate_limits": state.faults.rate_limits,
        "delivered": state.delivered[chat_id],
    }
