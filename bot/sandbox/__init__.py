"""The sandbox: a local Telegram Bot API emulator with a browser chat page for demo personas.

The names below load on first use: the emulator's web server (aiohttp) costs memory that a bot
talking to Telegram never needs, and models only borrow its small HTML checker.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.emulator import SANDBOX_TOKEN, BotApiEmulator
    from bot.sandbox.errors import ApiError
    from bot.sandbox.faults import Faults
    from bot.sandbox.personas import Persona, Role
    from bot.sandbox.sandbox import Sandbox, start_sandbox
    from bot.sandbox.state import ChatMessage, SandboxUser

_HOMES = {
    "SANDBOX_TOKEN": "emulator",
    "BotApiEmulator": "emulator",
    "ApiError": "errors",
    "Faults": "faults",
    "Persona": "personas",
    "Role": "personas",
    "Sandbox": "sandbox",
    "start_sandbox": "sandbox",
    "ChatMessage": "state",
    "SandboxUser": "state",
}

__all__ = [
    "SANDBOX_TOKEN",
    "ApiError",
    "BotApiEmulator",
    "ChatMessage",
    "Faults",
    "Persona",
    "Role",
    "Sandbox",
    "SandboxUser",
    "start_sandbox",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"bot.sandbox.{home}"), name)
