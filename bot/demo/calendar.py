"""The school calendar: reference 2020/2021 dates mapped to the school year that holds today."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.demo.config import DemoConfig

ONE_DAY = timedelta(days=1)


def school_year_of(today: date) -> int:
    """Return the start year of the current school year; July and August belong to the next."""
    return today.year if today.month >= 7 else today.year - 1


def easter_sunday(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month, day = divmod(h + j - 7 * m + 114, 31)
    return date(year, month, day + 1)


def map_date(spec: dict[str, Any], *, start_year: int, reference_year: int) -> date:
    """Map one reference date spec ({on, keep} or {easter}) into the given school year."""
    shift = start_year - reference_year
    if "easter" in spec:
        return easter_sunday(start_year + 1) + timedelta(days=int(spec["easter"]))
    original: date = spec["on"]
    year = original.year + shift
    day = min(original.day, 28) if (original.month, original.day) == (2, 29) else original.day
    moved = date(year, original.month, day)
    if spec.get("keep", "date") == "weekday":
        delta = (original.weekday() - moved.weekday()) % 7
        moved += timedelta(days=delta - 7 if delta > 3 else delta)
    return moved


def daterange(first: date, last: date) -> Iterator[date]:
    """Yield every day from first to last, both included."""
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


@dataclass
class SchoolYear:
    """One school year's terms, milestones and days without lessons."""

    start_year: int
    year_start: date
    s1_end: date
    s2_start: date
    s2_end: date
    last_bell: date
    graduation: date
    adult_intake: date
    summer_end: date
    off_days: list[tuple[str, str, date, date]] = field(
        default_factory=list
    )  # name, kind, from, to
    _closed: set[date] = field(default_factory=set)

    def map(self, spec: dict[str, Any], reference_year: int) -> date:
        """Map a reference date spec into this school year."""
        return map_date(spec, start_year=self.start_year, reference_year=reference_year)

    def is_day_off(self, day: date) -> bool:
        """Tell whether nobody has lessons that day (weekend, holiday or break)."""
        return day.weekday() >= 5 or day in self._closed

    def semester(self, day: date) -> int | None:
        """Return 1 or 2 for a day inside a term, None outside the terms."""
        if self.year_start <= day <= self.s1_end:
            return 1
        if self.s2_start <= day <= self.s2_end:
            return 2
        return None

    def holiday_rows(self) -> list[dict[str, Any]]:
        """Return the Holiday rows of this school year."""
        return [
            {"date_from": start, "date_to": end, "name": name, "kind": kind}
            for name, kind, start, end in self.off_days
        ]


def build_school_year(config: DemoConfig, start_year: int) -> SchoolYear:
    """Build the school year that starts in September of start_year."""
    calendar = config.assumed["calendar"]
    reference = int(calendar["reference_year"])

    def mapped(spec: dict[str, Any]) -> date:
        return map_date(spec, start_year=start_year, reference_year=reference)

    year = SchoolYear(
        start_year=start_year,
        year_start=mapped(calendar["year_start"]),
        s1_end=mapped(calendar["s1_end"]),
        s2_start=mapped(calendar["s2_start"]),
        s2_end=mapped(calendar["s2_end"]),
        last_bell=mapped(calendar["last_bell"]),
        graduation=mapped(calendar["graduation"]),
        adult_intake=mapped(calendar["adult_intake"]),
        summer_end=mapped(calendar["summer_break_end"]),
    )
    for name, kind, first, last in calendar["breaks"]:
        year.off_days.append((name, kind, mapped(first), mapped(last)))
    year.off_days.append(
        (calendar["summer_break_name"], "break", year.s2_end + ONE_DAY, year.summer_end)
    )
    observed = set(calendar["weekend_observed"])
    for name, spec in calendar["holidays"]:
        day = mapped(spec)
        year.off_days.append((name, "holiday", day, day))
        if name in observed and day.weekday() >= 5:
            monday = day + timedelta(days=7 - day.weekday())
            year.off_days.append((f"{name} (pārceltā brīvdiena)", "holiday", monday, monday))
    year.off_days.sort(key=lambda row: (row[2], row[0]))
    for _name, _kind, first, last in year.off_days:
        year._closed.update(daterange(first, last))
    return year
