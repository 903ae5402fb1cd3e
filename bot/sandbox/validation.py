"""Telegram's checks on what a bot sends: text and caption limits, markup, parse modes."""

from typing import Any

from bot.sandbox.entities import Entity, detect, trim, validate_entities
from bot.sandbox.errors import bad_request
from bot.sandbox.html_markup import parse_html
from bot.sandbox.markdown import parse_markdown_v2
from bot.sandbox.markdown_legacy import parse_markdown
from bot.sandbox.params import Params

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200

_PARSERS = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}


def parse_formatted(
    text: str, parse_mode: str | None, raw_entities: object
) -> tuple[str, list[Entity]]:
    """Turn text plus parse_mode (or explicit entities) into Telegram's trimmed text + entities."""
    if parse_mode:
        parser = _PARSERS.get(parse_mode.lower())
        if parser is None:
            raise bad_request("unsupported parse_mode")
        plain, entities = parser(text)
    else:
        plain, entities = text, validate_entities(text, raw_entities)
    plain, entities = trim(plain, entities)
    return plain, detect(plain, entities)


def message_text(params: Params, name: str = "text") -> tuple[str, list[Entity]]:
    """Return a message's text and entities, or raise Telegram's 400 for empty or too long."""
    raw = params.text(name)
    if not raw:
        raise bad_request("message text is empty")
    text, entities = parse_formatted(raw, params.text("parse_mode"), params.json("entities"))
    if not text:
        raise bad_request("message text is empty")
    if len(text) > MESSAGE_LIMIT:
        raise bad_request("message is too long")
    return text, entities


def caption(params: Params) -> tuple[str | None, list[Entity]]:
    """Return a media caption and its entities (both optional), checking the 1024 limit."""
    raw = params.text("caption")
    if not raw:
        return None, []
    text, entities = parse_formatted(
        raw, params.text("parse_mode"), params.json("caption_entities")
    )
    if len(text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return text or None, entities


def reply_markup(raw: Any) -> dict[str, Any] | None:
    """Check a reply_markup object and return it normalised (keyboard buttons as objects)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        rows = _rows(raw["inline_keyboard"], "inline keyboard")
        return {**raw, "inline_keyboard": [[_inline_button(b) for b in row] for row in rows]}
    if "keyboard" in raw:
        rows = _rows(raw["keyboard"], "keyboard")
        return {**raw, "keyboard": [[_keyboard_button(b) for b in row] for row in rows]}
    if raw.get("remove_keyboard") is True or raw.get("force_reply") is True:
        return dict(raw)
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(raw: Any, what: str) -> list[list[Any]]:
    if not isinstance(raw, list) or not all(isinstance(row, list) for row in raw):
        raise bad_request(f"can't parse {what} JSON object: field must be an Array of Arrays")
    return raw


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if not button["text"]:
        raise bad_request("BUTTON_TEXT_EMPTY")
    data = button.get("callback_data")
    if data is not None:
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
        return dict(button)
    url = button.get("url")
    if url is not None:
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request("BUTTON_URL_INVALID")
        return dict(button)
    actions = {
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "web_app",
        "login_url",
        "pay",
        "callback_game",
    }
    if not actions & button.keys():
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    return dict(button)


def _keyboard_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse keyboard button: Text must be a String")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_EMPTY")
    return dict(button)
