"""Tests of the sandbox: the Bot API emulator driven by a real python-telegram-bot, and its page."""
