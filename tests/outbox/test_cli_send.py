"""`schoolbot outbox send` with no token, a wrong one, or no Telegram: one clear line, exit 1."""

import asyncio

import pytest
from typer.testing import CliRunner, Result

from bot.cli.main import app
from bot.sandbox import Sandbox

runner = CliRunner()


@pytest.fixture
def environment(database_url: str, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return monkeypatch


async def _send() -> Result:
    """Run the command as a user would (in a thread: it runs its own event loop)."""
    return await asyncio.to_thread(runner.invoke, app, ["outbox", "send"])


def _one_clear_line(result: Result, expected: str) -> None:
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("Cannot send")]
    assert expected in line


async def test_without_a_token_it_says_so(environment: pytest.MonkeyPatch) -> None:
    _one_clear_line(await _send(), "TELEGRAM_BOT_TOKEN is not set")


async def test_a_token_telegram_refuses_is_named(
    environment: pytest.MonkeyPatch, sandbox: Sandbox
) -> None:
    environment.setenv("TELEGRAM_BOT_TOKEN", "123456:WRONG")
    environment.setenv("TELEGRAM_API_URL", sandbox.api_base_url)
    _one_clear_line(await _send(), "refused the token")


async def test_an_unreachable_telegram_is_tried_then_named(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("TELEGRAM_BOT_TOKEN", "123456:SECRET")
    environment.setenv("TELEGRAM_API_URL", "http://127.0.0.1:1/bot")  # nothing listens there
    result = await _send()
    _one_clear_line(result, "Telegram does not answer at http://127.0.0.1:1/bot")
    assert "123456:SECRET" not in result.output
