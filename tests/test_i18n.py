"""Every user-visible string is translated into every language, with the same placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from bot.i18n import LANGUAGES, gettext_for, pick_language, read_catalog

ROOT = Path(__file__).parent.parent
PLACEHOLDER = re.compile(r"\{(\w*)[^}]*\}")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}


def _source_messages() -> set[str]:
    found: set[str] = set()
    for package in ("bot", "handlers", "models", "jobs"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if isinstance(message, tuple):
                found.update(part for part in message if part)
            elif message:
                found.add(message)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_every_message(language: str) -> None:
    catalog = read_catalog(language)
    missing = sorted(msg for msg in _source_messages() if msg not in catalog)
    assert missing == [], f"{language} lacks {len(missing)} messages"


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_catalog_translates_every_message(language: str) -> None:
    catalog = read_catalog(language)
    empty = sorted(str(m.id) for m in catalog if m.id and not m.string)
    assert empty == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match_the_source(language: str) -> None:
    mismatched = []
    for message in read_catalog(language):
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set(PLACEHOLDER.findall(ids[0]))
        mismatched += [ids[0] for s in strings if set(PLACEHOLDER.findall(s)) != expected]
    assert mismatched == []


def test_language_prefers_saved_then_telegram_then_default() -> None:
    assert pick_language("ru", "en-GB", "lv") == "ru"
    assert pick_language(None, "en-GB", "lv") == "en"
    assert pick_language(None, "de", "lv") == "lv"
    assert pick_language("xx", None, "en") == "en"


def test_unknown_language_falls_back_to_source_text() -> None:
    assert gettext_for("de")("Hello") == "Hello"
