"""Logging setup: text or JSON lines, quiet HTTP libraries, no token or link code written out."""

import logging
import re
from collections.abc import Callable
from typing import Any

from bot.config import Settings
from models.link_code_format import CODE_CHAR

# Anything shaped like a link code, standing alone: "K7QM-4XPA", "k7qm4xpa" (a digit and a
# letter are checked in _mask_code). Longer tokens (hashes, ids) do not match.
_CODE_SHAPE = re.compile(rf"(?<![A-Za-z0-9]){CODE_CHAR}{{4}}-?{CODE_CHAR}{{4}}(?![A-Za-z0-9])")
# What follows /start on its line (a typed payload may be split by spaces), and ?start=...
_START_PAYLOAD = re.compile(r"(/start(?:@\w+)?)[ \t]+[^\n\"'\\]+")
_START_PARAMETER = re.compile(r"([?&]start=)[^&\s\"'\\]+")
HIDDEN = "<hidden>"


def _mask_code(match: re.Match[str]) -> str:
    text = match.group(0)
    has_digit = any(c.isdigit() for c in text)
    has_letter = any(c.isalpha() for c in text)
    return HIDDEN if has_digit and has_letter else text


def redact_text(text: str, secrets: list[str]) -> str:
    """Hide the given secrets, anything shaped like a link code and every /start payload."""
    for secret in secrets:
        text = text.replace(secret, "<token>")
    text = _START_PAYLOAD.sub(rf"\1 {HIDDEN}", text)
    text = _START_PARAMETER.sub(rf"\1{HIDDEN}", text)
    return _CODE_SHAPE.sub(_mask_code, text)


class RedactSecrets(logging.Filter):
    """Rewrite a record so that the bot token and link codes are not in it.

    httpx and PTB log request URLs (with the token), and PTB logs whole updates at DEBUG
    (with the text a user typed, a code among them).
    """

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is for logging itself to report
            message = str(record.msg)
        redacted = redact_text(message, self.secrets)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            shown = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact_text(shown, self.secrets)
            if record.exc_text != shown:  # formatters (JSON too) then print exc_text instead
                record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info, self.secrets)
        return True


class _RedactingFactory:
    """A log record factory that redacts every record as it is made, for every handler."""

    def __init__(self, base: Callable[..., logging.LogRecord], redact: RedactSecrets) -> None:
        self.base, self.redact = base, redact

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.base(*args, **kwargs)
        self.redact.filter(record)
        return record


def install_redaction(redact: RedactSecrets) -> None:
    """Redact every record of every logger from now on (replacing an earlier redaction)."""
    current = logging.getLogRecordFactory()
    base = current.base if isinstance(current, _RedactingFactory) else current
    logging.setLogRecordFactory(_RedactingFactory(base, redact))


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings: Settings) -> None:
    """Log to stderr at LOG_LEVEL, as text or JSON lines; redact secrets; quiet httpx."""
    logging.basicConfig(level=settings.log_level, format=TEXT_FORMAT, force=True)
    if settings.log_format == "json":
        from pythonjsonlogger.json import JsonFormatter  # only where JSON is asked for

        formatter = JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
        for handler in logging.getLogger().handlers:
            handler.setFormatter(formatter)
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    webhook = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    install_redaction(RedactSecrets([token, webhook]))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
