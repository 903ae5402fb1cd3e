"""The sandbox: a local Telegram Bot API emulator with a browser chat page for demo personas."""

from bot.sandbox.emulator import SANDBOX_TOKEN, BotApiEmulator
from bot.sandbox.errors import ApiError
from bot.sandbox.faults import Faults
from bot.sandbox.personas import Persona, Role
from bot.sandbox.sandbox import Sandbox, start_sandbox
from bot.sandbox.state import ChatMessage, SandboxUser

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
