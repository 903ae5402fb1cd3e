"""Bot API methods about the bot and its chats: getMe, getChat, menu button, getUpdates, logOut."""

from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.params import Params
from bot.sandbox.store import SandboxState

_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


async def get_me(state: SandboxState, params: Params) -> Any:
    return {
        **state.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_chat(state: SandboxState, params: Params) -> Any:
    chat = state.chat(params.chat_id())
    return {
        **chat.to_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": _GIFTS,
    }


async def set_chat_menu_button(state: SandboxState, params: Params) -> Any:
    button = params.json("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in {"default", "commands", "web_app"}:
        raise bad_request("can't parse menu button JSON object")
    chat_id = params.integer("chat_id")
    chats = [state.chat(chat_id)] if chat_id is not None else list(state.chats.values())
    for chat in chats:
        chat.menu_button = button
    state.changed()
    return True


async def get_chat_menu_button(state: SandboxState, params: Params) -> Any:
    chat_id = params.integer("chat_id")
    return state.chat(chat_id).menu_button if chat_id is not None else {"type": "default"}


async def get_updates(state: SandboxState, params: Params) -> Any:
    allowed = params.json("allowed_updates")
    if allowed is not None and not isinstance(allowed, list):
        raise bad_request("can't parse allowed_updates JSON object")
    return await state.updates.get(
        offset=params.integer("offset") or 0,
        limit=params.integer("limit") or 100,
        wait=max(0.0, params.number("timeout") or 0.0),
        allowed=allowed,
    )


async def harmless(state: SandboxState, params: Params) -> Any:
    """Answer logOut and close: there is no session to end in the sandbox."""
    return True


METHODS = {
    "getme": get_me,
    "getchat": get_chat,
    "setchatmenubutton": set_chat_menu_button,
    "getchatmenubutton": get_chat_menu_button,
    "getupdates": get_updates,
    "logout": harmless,
    "close": harmless,
}
