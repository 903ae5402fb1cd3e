"""Keep text from the school's files inert in the CSV and XLSX files the bot writes."""

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")

# A spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: T) -> T | str:
    """Return text a spreadsheet would run as a formula with an apostrophe before it."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[T]) -> list[T | str]:
    """Return the row with every text cell made safe; numbers stay numbers."""
    return [safe_cell(value) for value in values]
