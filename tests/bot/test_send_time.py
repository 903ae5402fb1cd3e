"""Send times as people type them, in the school's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from models.send_time import SendTimeError, parse_send_time

RIGA = ZoneInfo("Europe/Riga")
NOW = dt.datetime(2026, 11, 24, 10, 30, tzinfo=RIGA)  # 08:30 UTC


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("25.11.2026 08:00", dt.datetime(2026, 11, 25, 8, 0)),
        ("2026-11-25 8:00", dt.datetime(2026, 11, 25, 8, 0)),
        ("25.11 08.00", dt.datetime(2026, 11, 25, 8, 0)),
        ("12:15", dt.datetime(2026, 11, 24, 12, 15)),
        ("08:00", dt.datetime(2026, 11, 25, 8, 0)),  # already past today: tomorrow
    ],
)
def test_accepted_forms(text: str, local: dt.datetime) -> None:
    assert parse_send_time(text, now=NOW, tz=RIGA) == local.replace(tzinfo=RIGA).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("tomorrow", "Write the send time"),
        ("31.02.2027 08:00", "no such date"),
        ("24.11.2026 09:00", "already passed"),
        ("24.03.2027 09:00", "at most 60 days"),
        ("25:61", "no such date"),
        ("1" * 5000, "Write the send time"),
    ],
)
def test_refused_forms(text: str, reason: str) -> None:
    with pytest.raises(SendTimeError, match=reason):
        parse_send_time(text, now=NOW, tz=RIGA)
