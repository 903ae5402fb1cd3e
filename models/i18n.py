"""The languages the school speaks, and the marker for text the edge translates later."""

from collections.abc import Callable
from typing import Literal

Language = Literal["lv", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("lv", "ru", "en")

Gettext = Callable[[str], str]  # `_` of one language, handed to the domain by the edge


def N_(message: str) -> str:  # the gettext convention for "mark, translate later"
    """Mark a string for extraction without translating it here."""
    return message
