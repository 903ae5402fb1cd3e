"""Cell parsers for dates, times and weekdays: dd.mm.yyyy, ISO, Excel cells, day names."""

import datetime as dt
import re
from functools import lru_cache

from models.i18n import N_
from models.importing.cells import CellError, cell_text, choice_key
from models.importing.keys import CACHE_SIZE

NOT_DATE = N_("Not a date: {value}. Write dd.mm.yyyy.")
DATE_OUT_OF_RANGE = N_("The date {value} is out of range.")
NOT_TIME = N_("Not a time: {value}. Write hh:mm.")
NOT_WEEKDAY = N_("Not a weekday: {value}. Write 1-7 or a day name.")

_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})\.?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)

# ISO weekday -> names and abbreviations in English, Latvian and Russian.
_WEEKDAYS = {
    1: ("mon", "monday", "p", "pirmdiena", "pirmd", "пн", "понедельник", "пон"),
    2: ("tue", "tuesday", "o", "otrdiena", "otrd", "вт", "вторник"),
    3: ("wed", "wednesday", "t", "trešdiena", "trešd", "ср", "среда"),
    4: ("thu", "thursday", "c", "ceturtdiena", "ceturtd", "чт", "четверг"),
    5: ("fri", "friday", "pk", "piektdiena", "piektd", "пт", "пятница"),
    6: ("sat", "saturday", "s", "sestdiena", "sestd", "сб", "суббота"),
    7: ("sun", "sunday", "sv", "svētdiena", "svētd", "вс", "воскресенье"),
}
_WEEKDAY_KEYS = {choice_key(name): day for day, names in _WEEKDAYS.items() for name in names}


class Date:
    type_name = "date dd.mm.yyyy"

    def parse(self, raw: object) -> dt.date:
        if isinstance(raw, dt.datetime):
            day = _one_object(raw.date())
        elif isinstance(raw, dt.date):
            day = _one_object(raw)
        else:
            day = _date_from_text(cell_text(raw))
        if not FIRST_DAY <= day <= LAST_DAY:
            raise CellError(DATE_OUT_OF_RANGE, value=day.strftime("%d.%m.%Y"))
        return day


@lru_cache(maxsize=CACHE_SIZE)
def _one_object(day: dt.date) -> dt.date:
    """Return one shared object per date."""
    # A big file repeats a few hundred dates, and an import keeps every key it has seen.
    return day


@lru_cache(maxsize=CACHE_SIZE)
def _date_from_text(text: str) -> dt.date:
    try:
        if match := _DMY.match(text):
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if match := _ISO.match(text):
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise CellError(NOT_DATE, value=text)


class Time:
    type_name = "time hh:mm"

    def parse(self, raw: object) -> dt.time:
        if isinstance(raw, dt.datetime):
            return raw.time().replace(microsecond=0)
        if isinstance(raw, dt.time):
            return raw.replace(microsecond=0, tzinfo=None)
        if isinstance(raw, dt.timedelta) and dt.timedelta(0) <= raw < dt.timedelta(days=1):
            return _time_of_day(round(raw.total_seconds()))
        if isinstance(raw, float) and 0 <= raw < 1:  # an Excel time cell without a time format
            return _time_of_day(round(raw * 86400))
        text = cell_text(raw)
        match = _TIME.match(text)
        if match is None:
            raise CellError(NOT_TIME, value=text)
        hour, minute, second = (int(part or 0) for part in match.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise CellError(NOT_TIME, value=text)
        return dt.time(hour, minute, second)


def _time_of_day(seconds: int) -> dt.time:
    seconds = min(seconds, 86399)
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


class Weekday:
    type_name = "weekday 1-7 (1 = Monday) or a day name: Mon, P., Пн"

    def parse(self, raw: object) -> int:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = cell_text(raw)
        if text.isdigit() and 1 <= int(text) <= 7:
            return int(text)
        day = _WEEKDAY_KEYS.get(choice_key(text))
        if day is None:
            raise CellError(NOT_WEEKDAY, value=text)
        return day
