"""The bot token never reaches the log, even when a library logs a request URL."""

import json
import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.logs import configure_logging


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """configure_logging sets up the whole process: give the next test the logging it had."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_token_is_redacted_from_log_lines(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(telegram_bot_token=SecretStr("123:SECRET"), _env_file=None)
    configure_logging(settings)
    logging.getLogger("telegram.ext").warning(
        "POST https://api.telegram.org/bot%s/getMe", "123:SECRET"
    )
    captured = capsys.readouterr().err
    assert "SECRET" not in captured and "<token>" in captured


def test_json_lines_on_request_at_the_level_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(
        telegram_bot_token=SecretStr("123:SECRET"),
        log_format="json",
        log_level="WARNING",
        _env_file=None,
    )
    configure_logging(settings)
    logging.getLogger("bot.test").info("not at this level")
    logging.getLogger("bot.test").warning("sent %d of %d with %s", 3, 4, "123:SECRET")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["level"] == "WARNING" and record["logger"] == "bot.test"
    assert record["message"] == "sent 3 of 4 with <token>"
