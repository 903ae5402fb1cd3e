"""Checks that a row's end (time or date) does not come before its start."""

from models.i18n import N_
from models.importing.spec import Row

END_NOT_AFTER_START = N_("The end time {end} is not after the start time {start}.")
END_BEFORE_START = N_("The end date {end} is before the start date {start}.")


def check_times(row: Row, start: str = "start", end: str = "end") -> None:
    """Report an end time that is not after the start time."""
    begins, ends = row.time(start), row.time(end)
    if begins is not None and ends is not None and ends <= begins:
        row.problem(end, END_NOT_AFTER_START, start=f"{begins:%H:%M}", end=f"{ends:%H:%M}")


def check_dates(row: Row, start: str, end: str) -> None:
    """Report an end date before the start date."""
    begins, ends = row.date(start), row.date(end)
    if begins is not None and ends is not None and ends < begins:
        row.problem(end, END_BEFORE_START, start=f"{begins:%d.%m.%Y}", end=f"{ends:%d.%m.%Y}")
