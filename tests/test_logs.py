"""The bot token never reaches the log, even when a library logs a request URL."""

import logging

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.logs import configure_logging


def test_token_is_redacted_from_log_lines(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(telegram_bot_token=SecretStr("123:SECRET"), _env_file=None)
    configure_logging(settings)
    logging.getLogger("telegram.ext").warning(
        "POST https://api.telegram.org/bot%s/getMe", "123:SECRET"
    )
    captured = capsys.readouterr().err
    assert "SECRET" not in captured and "<token>" in captured
