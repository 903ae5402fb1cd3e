"""Logging setup: text or JSON lines, quiet HTTP libraries, and the bot token never written out."""

import logging

from bot.config import Settings


class RedactSecrets(logging.Filter):
    """Replace the bot token in any log line (httpx and PTB may log request URLs)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "<token>")
            record.msg, record.args = message, None
        return True


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings: Settings) -> None:
    """Log to stderr at LOG_LEVEL, as text or JSON lines; redact the token; quiet httpx."""
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
    redact = RedactSecrets([token])
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
