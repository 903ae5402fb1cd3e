"""The bot's webhook as Telegram keeps it: the settings setWebhook accepts, and the last error."""

import re
import time
from dataclasses import dataclass
from typing import Any

from yarl import URL

from bot.sandbox.errors import bad_request
from bot.sandbox.params import Params

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
DEFAULT_MAX_CONNECTIONS = 40
MAX_CONNECTIONS = 100
_SECRET_CHARACTERS = re.compile(r"[A-Za-z0-9_-]*")
_HOST = re.compile(r"[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]")  # a name, an IPv4 or an [IPv6]


@dataclass(frozen=True)
class WebhookConfig:
    """Where and how updates are delivered while the webhook is set."""

    url: str
    secret_token: str = ""
    max_connections: int = DEFAULT_MAX_CONNECTIONS


@dataclass
class WebhookState:
    """The webhook of one bot: its settings (None while polling) and the latest delivery error."""

    config: WebhookConfig | None = None
    last_error_date: int = 0
    last_error_message: str = ""

    def set(self, config: WebhookConfig | None) -> None:
        """Take new settings; a new webhook starts with no error, as in Telegram."""
        if config != self.config:
            self.config = config
            self.last_error_date = 0
            self.last_error_message = ""

    def record_error(self, message: str) -> None:
        """Remember why a delivery failed, for getWebhookInfo."""
        self.last_error_date = int(time.time())
        self.last_error_message = message

    def info(self, *, pending: int, allowed: list[str] | None) -> dict[str, Any]:
        """Return the WebhookInfo object getWebhookInfo answers with."""
        info: dict[str, Any] = {
            "url": self.config.url if self.config else "",
            "has_custom_certificate": False,
            "pending_update_count": pending,
        }
        if self.last_error_date:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        if self.config is not None:
            info["max_connections"] = self.config.max_connections
        if allowed is not None:
            info["allowed_updates"] = allowed
        return info


def read_config(params: Params) -> WebhookConfig | None:
    """Validate setWebhook's parameters as Telegram does; an empty url means no webhook."""
    url = (params.text("url") or "").strip()
    if not url:
        return None
    if not _is_webhook_url(url):
        raise bad_request("invalid webhook URL specified")
    secret = params.text("secret_token") or ""
    if len(secret) > 256:
        raise bad_request("secret token is too long")
    if not _SECRET_CHARACTERS.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    wanted = params.integer("max_connections") or DEFAULT_MAX_CONNECTIONS
    # Telegram clamps rather than refuses; the emulator acts as a local Bot API server, which
    # (like Telegram's --local mode) also takes http:// URLs, any port and local addresses.
    connections = min(max(wanted, 1), MAX_CONNECTIONS)
    return WebhookConfig(url, secret, connections)


def _is_webhook_url(url: str) -> bool:
    """Tell whether url is an absolute http(s) URL with a host (a bare host means https)."""
    if "://" not in url:
        url = f"https://{url}"
    try:
        parsed = URL(url)
        port = parsed.port
    except ValueError:
        return False
    host = parsed.raw_host or ""
    return (
        parsed.scheme in {"http", "https"}
        and bool(_HOST.fullmatch(host.join("[]") if ":" in host else host))
        and bool(port)
    )
