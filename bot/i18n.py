"""Translations: gettext catalogs per language, merged from bot/locales/<lang>/LC_MESSAGES/*.po."""

import gettext
from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from models.i18n import LANGUAGES, N_, Gettext, Language

__all__ = ["LANGUAGES", "N_", "Gettext", "Language", "gettext_for", "ngettext_for", "pick_language"]

LOCALES = Path(__file__).parent / "locales"


def catalog_files(language: str) -> list[Path]:
    """Return the .po files that make up one language's catalog."""
    return sorted((LOCALES / language / "LC_MESSAGES").glob("*.po"))


def read_catalog(language: str) -> Catalog:
    """Merge every .po file of a language into one Babel catalog."""
    merged = Catalog(locale=language)
    for path in catalog_files(language):
        with path.open("rb") as file:
            part = read_po(file, locale=language)
        for message in part:
            if message.id:
                merged[message.id] = message
    return merged


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """Compile a language's catalog in memory (no .mo files to keep in sync)."""
    buffer = BytesIO()
    write_mo(buffer, read_catalog(language))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def pick_language(saved: str | None, telegram_code: str | None, default: Language) -> Language:
    """Choose the user's language: saved choice, else Telegram's language_code, else default."""
    for candidate in (saved, (telegram_code or "").split("-")[0].lower()):
        if candidate in LANGUAGES:
            return candidate
    return default


def gettext_for(language: str) -> Gettext:
    """Return `_` for one language; unknown languages fall back to the source (English)."""
    if language not in LANGUAGES:
        return lambda message: message
    return translations(language).gettext


def ngettext_for(language: str) -> Callable[[str, str, int], str]:
    """Return the plural-aware gettext for one language."""
    if language not in LANGUAGES:
        return lambda singular, plural, n: singular if n == 1 else plural
    return translations(language).ngettext
