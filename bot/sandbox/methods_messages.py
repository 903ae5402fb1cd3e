"""Bot API methods for text messages: send, edit, delete, and the "typing..." action."""

import time
from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.params import Params
from bot.sandbox.state import ChatMessage, ChatRecord
from bot.sandbox.store import SandboxState
from bot.sandbox.validation import caption, message_text, reply_markup

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def reply_target(state: SandboxState, chat: ChatRecord, params: Params) -> ChatMessage | None:
    """Return the message this one answers (reply_parameters or reply_to_message_id)."""
    options = params.json("reply_parameters") or {}
    if not isinstance(options, dict):
        raise bad_request("can't parse reply parameters JSON object")
    message_id = options.get("message_id", params.integer("reply_to_message_id"))
    if message_id is None:
        return None
    target = state.find_message(chat.id, int(message_id))
    lenient = options.get("allow_sending_without_reply") or params.flag(
        "allow_sending_without_reply"
    )
    if target is None and not lenient:
        raise bad_request("message to be replied not found")
    return target


def keep_keyboard(chat: ChatRecord, markup: dict[str, Any] | None) -> None:
    """Show or hide the reply keyboard above the person's input field."""
    if markup is None:
        return
    if "keyboard" in markup:
        chat.reply_keyboard = markup
    elif markup.get("remove_keyboard"):
        chat.reply_keyboard = None


async def send_message(state: SandboxState, params: Params) -> Any:
    chat = state.chat(params.chat_id())
    text, entities = message_text(params)
    markup = reply_markup(params.json("reply_markup"))
    reply_to = reply_target(state, chat, params)
    state.before_send(chat)
    message = state.add_message(
        chat,
        state.bot,
        text=text,
        entities=entities,
        reply_markup=markup,
        protect_content=params.flag("protect_content"),
        link_preview_options=params.json("link_preview_options"),
        reply_to=reply_to,
    )
    keep_keyboard(chat, markup)
    state.after_send(chat)
    return message.to_api()


def editable(state: SandboxState, params: Params) -> ChatMessage:
    """Return the bot's message an edit names, or fail like Telegram."""
    if params.text("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = state.chat(params.chat_id())
    message_id = params.required_integer("message_id", "message identifier is not specified")
    message = state.find_message(chat.id, message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def inline_markup(params: Params) -> dict[str, Any] | None:
    """Return an edit's new inline keyboard; an edit without one removes the keyboard."""
    markup = reply_markup(params.json("reply_markup"))
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup


def finish_edit(state: SandboxState, message: ChatMessage, **fields: Any) -> Any:
    """Apply an edit unless it changes nothing, which Telegram refuses."""
    if all(getattr(message, name) == value for name, value in fields.items()):
        raise bad_request(NOT_MODIFIED)
    for name, value in fields.items():
        setattr(message, name, value)
    message.edit_date = int(time.time())
    state.changed()
    return message.to_api()


async def edit_message_text(state: SandboxState, params: Params) -> Any:
    message = editable(state, params)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = message_text(params)
    return finish_edit(
        state, message, text=text, entities=entities, reply_markup=inline_markup(params)
    )


async def edit_message_caption(state: SandboxState, params: Params) -> Any:
    message = editable(state, params)
    if message.text is not None:
        raise bad_request("there is no caption in the message to edit")
    text, entities = caption(params)
    return finish_edit(
        state,
        message,
        caption=text,
        caption_entities=entities,
        reply_markup=inline_markup(params),
    )


async def edit_message_reply_markup(state: SandboxState, params: Params) -> Any:
    message = editable(state, params)
    return finish_edit(state, message, reply_markup=inline_markup(params))


async def delete_message(state: SandboxState, params: Params) -> Any:
    chat = state.chat(params.chat_id())
    message_id = params.required_integer("message_id", "message identifier is not specified")
    message = state.find_message(chat.id, message_id)
    if message is None:
        raise bad_request("message to delete not found")
    state.remove_message(message)
    return True


async def delete_messages(state: SandboxState, params: Params) -> Any:
    chat = state.chat(params.chat_id())
    message_ids = params.json("message_ids")
    if not isinstance(message_ids, list) or not 1 <= len(message_ids) <= 100:
        raise bad_request("message identifiers are not specified")
    for message_id in message_ids:
        message = state.find_message(chat.id, int(message_id))
        if message is not None:
            state.remove_message(message)
    return True


async def send_chat_action(state: SandboxState, params: Params) -> Any:
    chat = state.chat(params.chat_id())
    if params.text("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    if chat.id in state.faults.blocked:
        state.before_send(chat)  # raises the 403
    state.set_action(chat)
    return True


METHODS = {
    "sendmessage": send_message,
    "editmessagetext": edit_message_text,
    "editmessagecaption": edit_message_caption,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "deletemessages": delete_messages,
    "sendchataction": send_chat_action,
}
