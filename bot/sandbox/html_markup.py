"""Telegram's parse_mode=HTML in the emulator: the product's own parser, its refusals as a 400."""

from bot.sandbox.entities import Entity
from bot.sandbox.errors import ApiError, bad_request
from models.telegram_html import TelegramHtmlError
from models.telegram_html import parse_html as parse_telegram_html


def parse_error(reason: str) -> ApiError:
    """Return the 400 Telegram gives when the markup of a text is broken."""
    return bad_request(f"can't parse entities: {reason}")


def parse_html(source: str) -> tuple[str, list[Entity]]:
    """Return the plain text and its entities, or raise Telegram's "can't parse entities"."""
    try:
        return parse_telegram_html(source)
    except TelegramHtmlError as refusal:
        raise parse_error(refusal.reason) from None
