"""Commands that talk to Telegram say in one line what is wrong: no token, a wrong one, silence."""

import asyncio
from pathlib import Path

import pytest
import typer
from telegram import Bot

from bot.cli.reach import reach_or_exit
from bot.sandbox import Sandbox
from tests.roles.processes import SCHOOLBOT


async def _outbox_send(folder: Path, **env: str) -> tuple[int | None, str]:
    """Run `schoolbot outbox send` (the sandbox answers it meanwhile); its code and stderr."""
    process = await asyncio.create_subprocess_exec(
        SCHOOLBOT,
        "outbox",
        "send",
        env={"PATH": "/usr/bin", "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/x.db", **env},
        cwd=folder,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, error = await process.communicate()
    return process.returncode, error.decode()


async def test_sending_the_outbox_without_a_token_says_so_in_one_line(tmp_path: Path) -> None:
    code, error = await _outbox_send(tmp_path)
    assert code == 1
    assert error.strip().splitlines() == [
        "Cannot send the outbox: TELEGRAM_BOT_TOKEN is not set (put the token from "
        "@BotFather in .env or the environment)."
    ]


async def test_sending_the_outbox_with_a_wrong_token_says_so_in_one_line(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    code, error = await _outbox_send(
        tmp_path, TELEGRAM_BOT_TOKEN="123456:WRONG", TELEGRAM_API_URL=sandbox.api_base_url
    )
    assert code == 1
    lines = error.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Cannot send the outbox: Telegram refused")
    assert "WRONG" not in error


async def test_a_telegram_that_never_answers_ends_the_command_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bot = Bot("123:ABC", base_url="http://127.0.0.1:1/bot")  # nothing listens on port 1
    with pytest.raises(typer.Exit):
        await reach_or_exit(bot, "send the outbox", attempts=1)
    error = capsys.readouterr().err.strip()
    assert error.startswith("Cannot send the outbox: Telegram at http://127.0.0.1:1/bot ")
    assert "did not answer after 1 tries" in error and "\n" not in error
