"""Cell parsers for import files: text, numbers, yes/no, choices and lists, CSV or XLSX alike."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from models.i18n import N_
from models.importing.keys import CACHE_SIZE, name_key

TOO_LONG = N_("Too long: at most {limit} characters.")
NOT_WHOLE = N_("Not a whole number: {value}.")
NOT_NUMBER = N_("Not a number: {value}.")
OUT_OF_RANGE = N_("Must be between {low} and {high}: {value}.")
NOT_FLAG = N_("Not yes or no: {value}.")
NOT_CHOICE = N_("Unknown value {value}; use one of: {choices}.")
NOT_EMAIL = N_("Not an e-mail address: {value}.")
NOT_COUNTRY = N_("Not a country code: {value}. Use two letters, for example LV.")

_WHOLE = re.compile(r"^[+-]?\d+\.?$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TRUE = {"1", "yes", "y", "true", "ja", "j", "da", "d", "x", "+"}
_FALSE = {"0", "no", "n", "false", "ne", "net", "-"}


class CellError(Exception):
    """A cell value the parser cannot accept; reason is a gettext msgid."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def cell_text(raw: object) -> str:
    """Return a cell as trimmed NFC text with single spaces; 21.0 from Excel reads '21'."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(unicodedata.normalize("NFC", str(raw)).split())


@dataclass(frozen=True)
class Text:
    limit: int
    upper: bool = False

    @property
    def type_name(self) -> str:
        return f"text (up to {self.limit})"

    def parse(self, raw: object) -> str:
        text = cell_text(raw)
        if len(text) > self.limit:
            raise CellError(TOO_LONG, limit=self.limit)
        return text.upper() if self.upper else text


@dataclass(frozen=True)
class Email:
    type_name: str = "e-mail"

    def parse(self, raw: object) -> str:
        text = cell_text(raw)
        if len(text) > 200 or not _EMAIL.match(text):
            raise CellError(NOT_EMAIL, value=text)
        return text


@dataclass(frozen=True)
class Country:
    type_name: str = "country code (2 letters)"

    def parse(self, raw: object) -> str:
        text = cell_text(raw).upper()
        if len(text) != 2 or not text.isascii() or not text.isalpha():
            raise CellError(NOT_COUNTRY, value=text)
        return text


@dataclass(frozen=True)
class Whole:
    low: int
    high: int

    @property
    def type_name(self) -> str:
        return f"whole number {self.low}-{self.high}"

    def parse(self, raw: object) -> int:
        if isinstance(raw, bool):
            raise CellError(NOT_WHOLE, value=raw)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, int):
            number = raw
        else:
            text = cell_text(raw)
            if not _WHOLE.match(text):
                raise CellError(NOT_WHOLE, value=text)
            number = int(text.rstrip("."))
        if not self.low <= number <= self.high:
            raise CellError(OUT_OF_RANGE, low=self.low, high=self.high, value=number)
        return number


@dataclass(frozen=True)
class Decimal:
    low: float
    high: float

    @property
    def type_name(self) -> str:
        return f"number {self.low:g}-{self.high:g}"

    def parse(self, raw: object) -> float:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            number = float(raw)
        else:
            text = cell_text(raw)
            if not _NUMBER.match(text):
                raise CellError(NOT_NUMBER, value=text)
            number = float(text.replace(",", "."))
        if not self.low <= number <= self.high:
            raise CellError(OUT_OF_RANGE, low=f"{self.low:g}", high=f"{self.high:g}", value=raw)
        return number


@dataclass(frozen=True)
class Flag:
    type_name: str = "yes/no"

    def parse(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        key = name_key(cell_text(raw)).rstrip(".")
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellError(NOT_FLAG, value=cell_text(raw))


@lru_cache(maxsize=CACHE_SIZE)
def choice_key(text: str) -> str:
    """Return the matching key of a choice: case, diacritics, spaces, '-' and '_' ignored."""
    return re.sub(r"[\s\-_.]+", "", name_key(text))


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of stored values; other spellings (lv, ru) map onto them."""

    values: tuple[str, ...]
    aliases: Mapping[str, Iterable[str]] = field(default_factory=dict)

    @property
    def type_name(self) -> str:
        return "one of: " + ", ".join(value or '""' for value in self.values)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        table = {choice_key(value): value for value in self.values}
        for value, spellings in self.aliases.items():
            table.update((choice_key(spelling), value) for spelling in spellings)
        return table

    def parse(self, raw: object) -> str:
        text = cell_text(raw)
        found = self._lookup.get(choice_key(text))
        if found is None:
            choices = ", ".join(value for value in self.values if value)
            raise CellError(NOT_CHOICE, value=text, choices=choices)
        return found


@dataclass(frozen=True)
class Items:
    """A list separated by commas or semicolons; each item is parsed by `item` if given."""

    type_name: str = "list, separated by , or ;"
    item: Choice | None = None

    def parse(self, raw: object) -> tuple[str, ...]:
        parts = [part for part in re.split(r"[,;]", cell_text(raw)) if part.strip()]
        if self.item is None:
            return tuple(dict.fromkeys(part.strip() for part in parts))
        item = self.item
        return tuple(dict.fromkeys(item.parse(part) for part in parts))
