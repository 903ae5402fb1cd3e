"""Logging setup: one format, quiet HTTP libraries, and the bot token never written out."""

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


def configure_logging(settings: Settings, level: int = logging.INFO) -> None:
    """Log to stderr with timestamps; redact the token; keep httpx's per-request lines out."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    redact = RedactSecrets([token])
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
