"""Starting without Telegram: one line a failed attempt, growing pauses, a wrong token ends it."""

import logging

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.ops.telegram_reach import TelegramRefused, reach_telegram
from bot.sandbox import Sandbox


async def test_an_unreachable_telegram_is_tried_again_with_longer_pauses(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pauses: list[float] = []

    async def note(seconds: float) -> None:
        pauses.append(seconds)

    bot = Bot("123:ABC", base_url="http://127.0.0.1:1/bot")  # nothing listens on port 1
    with caplog.at_level(logging.WARNING), pytest.raises(NetworkError):
        await reach_telegram(bot, attempts=4, sleep=note)
    assert pauses == [2.0, 4.0, 8.0]
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.ops.telegram_reach"]
    assert len(lines) == 3 and all("\n" not in line for line in lines)
    assert "cannot reach Telegram at http://127.0.0.1:1/bot" in lines[0]
    assert "123:ABC" not in " ".join(lines)


async def test_a_wrong_token_is_not_tried_again(sandbox: Sandbox) -> None:
    bot = Bot("123456:WRONG", base_url=sandbox.api_base_url)
    with pytest.raises(TelegramRefused, match="refused the token"):
        await reach_telegram(bot, attempts=5)


async def test_a_reachable_telegram_gives_the_bots_name(sandbox: Sandbox) -> None:
    bot = Bot(sandbox.token, base_url=sandbox.api_base_url)
    assert await reach_telegram(bot) == (await sandbox_username(sandbox))


async def sandbox_username(sandbox: Sandbox) -> str:
    async with Bot(sandbox.token, base_url=sandbox.api_base_url) as bot:
        return bot.username
