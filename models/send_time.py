"""A send time typed by a person: "25.11.2026 08:00", "2026-11-25 08:00", "25.11 8:00", "08:00"."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from models.i18n import N_

MAX_AHEAD = dt.timedelta(days=60)
_TIME = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
_FORMS = (
    re.compile(rf"^(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})(?:\.(?P<year>\d{{4}}))?\s+{_TIME}$"),
    re.compile(rf"^(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})\s+{_TIME}$"),
    re.compile(rf"^{_TIME}$"),
)


class SendTimeError(ValueError):
    """The text is not a usable send time; `reason` says why, as a msgid."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_send_time(text: str, *, now: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Return the moment (aware, UTC) a person means, in the school's time zone, in the future."""
    local_now = now.astimezone(tz)
    match = next((m for form in _FORMS if (m := form.match(text.strip()[:40]))), None)
    if match is None:
        raise SendTimeError(N_("Write the send time as 25.11.2026 08:00 or 08:00."))
    parts = match.groupdict()
    try:
        when = dt.datetime(
            int(parts.get("year") or local_now.year),
            int(parts.get("month") or local_now.month),
            int(parts.get("day") or local_now.day),
            int(parts["hour"]),
            int(parts["minute"]),
            tzinfo=tz,
        )
    except ValueError:
        raise SendTimeError(N_("There is no such date or time.")) from None
    if parts.get("day") is None and when <= local_now:
        when += dt.timedelta(days=1)  # "08:00" after eight means tomorrow morning
    elif parts.get("day") is not None and parts.get("year") is None and when <= local_now:
        when = when.replace(year=when.year + 1)
    if when <= local_now:
        raise SendTimeError(N_("The send time has already passed."))
    if when - local_now > MAX_AHEAD:
        raise SendTimeError(N_("The send time can be at most 60 days ahead."))
    return when.astimezone(dt.UTC)
