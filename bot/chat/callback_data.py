"""Button data checked at the edge: a callback pattern whose every field is within its bounds."""

import datetime as dt
import re
from collections.abc import Callable

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER: asyncpg raises on a larger id
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data

Field = Callable[[str], bool]


def is_id(text: str) -> bool:
    """Tell whether text is a row id the database can hold: ASCII digits, 0 to 2**31-1."""
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


def is_month(text: str) -> bool:
    """Tell whether text is a month that exists, "2026-10", in the years the school can have."""
    year, dash, month = text.partition("-")
    if not (dash and len(year) == 4 and len(month) == 2 and (year + month).isascii()):
        return False
    if not (year + month).isdigit():
        return False
    return 2000 <= int(year) <= 2100 and 1 <= int(month) <= 12


def is_day(text: str) -> bool:
    """Tell whether text is a day that exists, written "20261031"."""
    if not (len(text) == 8 and text.isascii() and text.isdigit()):
        return False
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return False
    return 2000 <= day.year <= 2100


def is_word(text: str) -> bool:
    """Any value the regex's own group already limits (a choice between known words)."""
    return True


class CallbackPattern:
    """A callback-data regex plus one check per group; PTB calls it as a handler's pattern.

    `match` answers like `re.Pattern.match`, but only when every group passes its check, so a
    handler's body can read the groups as they are.
    """

    def __init__(self, regex: str, *fields: Field) -> None:
        self.regex = re.compile(regex)
        if self.regex.groups != len(fields):
            raise ValueError(f"{regex!r} has {self.regex.groups} groups, {len(fields)} checks")
        self.fields = fields

    def match(self, data: str) -> re.Match[str] | None:
        """Return the regex match if data fits and every field is within its bounds."""
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            return None
        found = self.regex.match(data)
        if found is None:
            return None
        values = found.groups()
        if all(
            value is None or check(value) for value, check in zip(values, self.fields, strict=True)
        ):
            return found
        return None

    def __call__(self, data: object) -> bool:
        return isinstance(data, str) and self.match(data) is not None

    def __repr__(self) -> str:
        return f"CallbackPattern({self.regex.pattern!r})"
