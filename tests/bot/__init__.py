"""Tests of the bot package modules that need no Telegram."""
