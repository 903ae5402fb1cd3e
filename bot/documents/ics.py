"""A timetable as an iCalendar file that Google, Apple and Outlook calendars import."""

import datetime as dt
import hashlib
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from models.timetable import ChangeType
from models.timetable_queries import Day

PRODID = "-//schoolbot//timetable//LV"


def timetable_ics(days: Sequence[Day], *, name: str, tz: ZoneInfo, domain: str) -> bytes:
    """Every lesson that will take place as an event, with changes applied; UTC times."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC)
    for day in days:
        for lesson in day.lessons:
            if lesson.change in (ChangeType.CANCELLED, ChangeType.MOVED):
                continue
            if lesson.start is None or lesson.end is None:
                continue
            start = dt.datetime.combine(day.date, lesson.start, tzinfo=tz)
            end = dt.datetime.combine(day.date, lesson.end, tzinfo=tz)
            key = f"{day.date}:{lesson.lesson_no}:{lesson.group}:{lesson.subgroup}:{name}"
            event = Event()
            event.add("uid", hashlib.sha1(key.encode()).hexdigest() + f"@{domain}")
            event.add("dtstamp", stamp)
            event.add("dtstart", start.astimezone(dt.UTC))
            event.add("dtend", end.astimezone(dt.UTC))
            event.add("summary", f"{lesson.lesson_no}. {lesson.subject}")
            where = ", ".join(part for part in (lesson.room, lesson.building) if part)
            if where:
                event.add("location", where)
            event.add("description", " · ".join(p for p in (lesson.teacher, lesson.group) if p))
            calendar.add_component(event)
    return bytes(calendar.to_ical())
