"""The bot's command lists per scope and language, and which list a given chat sees."""

import json
import re
from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.params import Params
from bot.sandbox.state import ChatRecord
from bot.sandbox.store import SandboxState

_CHAT_SCOPES = {"chat", "chat_administrators", "chat_member"}
_SCOPES = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def scope_key(raw: Any) -> str:
    """Return a canonical key for a BotCommandScope (absent means the default scope)."""
    scope = raw if raw is not None else {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES | _CHAT_SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    if scope["type"] in _CHAT_SCOPES and "chat_id" not in scope:
        raise bad_request("chat_id is empty")
    return json.dumps(scope, sort_keys=True)


def language_key(params: Params) -> str:
    """Return the language_code of a commands call ("" for all languages)."""
    language = params.text("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return language


def checked_commands(raw: Any) -> list[dict[str, str]]:
    """Return a setMyCommands list, checked like Telegram checks it."""
    if not isinstance(raw, list) or len(raw) > 100:
        raise bad_request("can't parse commands JSON object")
    commands = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command = str(item.get("command", "")).removeprefix("/")
        description = str(item.get("description", ""))
        if not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        commands.append({"command": command, "description": description})
    return commands


def commands_for(
    state: SandboxState, chat: ChatRecord, language: str | None
) -> list[dict[str, str]]:
    """Return the command menu a person sees in this chat, by Telegram's scope order."""
    kinds = ["all_private_chats"] if chat.type == "private" else ["all_group_chats"]
    scopes = [{"type": "chat", "chat_id": chat.id}] + [{"type": kind} for kind in kinds]
    scopes.append({"type": "default"})
    for scope in scopes:
        key = json.dumps(scope, sort_keys=True)
        for lang in ([language] if language else []) + [""]:
            if state.commands.get((key, lang)):
                return state.commands[(key, lang)]
    return []


async def set_my_commands(state: SandboxState, params: Params) -> Any:
    key = (scope_key(params.json("scope")), language_key(params))
    commands = checked_commands(params.json("commands"))
    if commands:
        state.commands[key] = commands
    else:
        state.commands.pop(key, None)
    state.changed()
    return True


async def get_my_commands(state: SandboxState, params: Params) -> Any:
    return state.commands.get((scope_key(params.json("scope")), language_key(params)), [])


async def delete_my_commands(state: SandboxState, params: Params) -> Any:
    state.commands.pop((scope_key(params.json("scope")), language_key(params)), None)
    state.changed()
    return True


METHODS = {
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
}
