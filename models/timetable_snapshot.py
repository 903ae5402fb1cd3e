"""The timetable in memory: every lesson, change, name and bell time, loaded once per import.

The timetable only changes when the school imports it, so a day view needs no query at all
while the import stamps (see models/import_stamp_queries.py) stay the same.
"""

import asyncio
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select as sa_select  # many columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.import_stamp_queries import ImportStamps
from models.school import Building, Room, Staff, StudyGroup, Subject
from models.timetable import BellTime, Holiday, TimetableChange, TimetableEntry

# What the snapshot is made of (a new stamp of any reloads it) and what its answers show.
SNAPSHOT_KINDS = (
    "timetable",
    "timetable_changes",
    "bell_times",
    "holidays",
    "groups",
    "staff",
    "rooms",
    "buildings",
    "subjects",
)
TIMETABLE_KINDS = ("timetable", "timetable_changes", "bell_times", "holidays")


# Entries, changes and places are named tuples of plain values: the garbage collector stops
# tracking such tuples, so a large school's timetable adds nothing to its pauses.
class Entry(NamedTuple):
    """A weekly lesson of a group."""

    group_id: int
    weekday: int
    lesson_no: int
    subgroup: str
    week_parity: str
    subject_id: int
    teacher_id: int | None
    room_id: int | None
    valid_from: dt.date
    valid_to: dt.date

    def runs_on(self, day: dt.date) -> bool:
        if self.weekday != day.isoweekday() or not self.valid_from <= day <= self.valid_to:
            return False
        return not self.week_parity or self.week_parity == (
            "odd" if day.isocalendar().week % 2 else "even"
        )


class Change(NamedTuple):
    """A dated change to a group's lesson."""

    date: dt.date
    group_id: int
    lesson_no: int
    subgroup: str
    change_type: str
    subject_id: int | None
    new_teacher_id: int | None
    new_room_id: int | None
    moved_to_date: dt.date | None
    moved_to_lesson: int | None
    reason: str


class Place(NamedTuple):
    """A room with its building, as a lesson shows it."""

    room: str
    building: str
    building_code: str


@dataclass
class TimetableSnapshot:
    """Everything the day views read, indexed the way they read it."""

    version: int = 0  # the newest import stamp id of SNAPSHOT_KINDS when loaded
    as_of: dt.datetime | None = None  # when the timetable itself was last imported
    entries: dict[int, list[Entry]] = field(default_factory=dict)  # by group
    teacher_groups: dict[int, set[int]] = field(default_factory=dict)
    room_groups: dict[int, set[int]] = field(default_factory=dict)
    changes: dict[dt.date, dict[int, list[Change]]] = field(default_factory=dict)
    moved_in: dict[dt.date, dict[int, list[Change]]] = field(default_factory=dict)
    holidays: list[tuple[dt.date, dt.date, str]] = field(default_factory=list)
    subjects: dict[int, str] = field(default_factory=dict)
    subject_keys: dict[int, str] = field(default_factory=dict)  # folded names, for search
    graded: set[int] = field(default_factory=set)  # subjects marked on the 1-10 scale
    subject_teachers: dict[int, set[int]] = field(default_factory=dict)
    staff: dict[int, str] = field(default_factory=dict)  # full names
    staff_keys: dict[int, str] = field(default_factory=dict)  # folded names of active staff
    places: dict[int, Place] = field(default_factory=dict)  # by room id
    groups: dict[int, str] = field(default_factory=dict)  # codes
    group_keys: dict[str, int] = field(default_factory=dict)  # "AM21" -> id
    room_codes: dict[str, int] = field(default_factory=dict)  # "STR16-101" -> id
    bells: dict[tuple[int, str], tuple[dt.time, dt.time]] = field(default_factory=dict)

    def holiday_on(self, day: dt.date) -> str:
        return next((name for start, end, name in self.holidays if start <= day <= end), "")

    def next_school_day(self, *, after: dt.date) -> dt.date:
        """Return the first day after `after` that is neither a weekend nor a holiday."""
        day = after + dt.timedelta(days=1)
        for _ in range(366):
            if day.isoweekday() <= 5 and not self.holiday_on(day):
                break
            day += dt.timedelta(days=1)
        return day

    def graded_subjects(self, group_id: int, first: dt.date, last: dt.date) -> set[str]:
        """The marked subjects a group's timetable has between two dates."""
        return {
            self.subjects[entry.subject_id]
            for entry in self.entries.get(group_id, [])
            if entry.subject_id in self.graded
            and entry.valid_from <= last
            and entry.valid_to >= first
        }

    def bell(self, lesson_no: int, building_code: str) -> tuple[dt.time, dt.time] | None:
        """The lesson's times in its building, or the school-wide ones."""
        return self.bells.get((lesson_no, building_code)) or self.bells.get((lesson_no, ""))


async def load_snapshot(
    session: AsyncSession, *, version: int, as_of: dt.datetime | None
) -> TimetableSnapshot:
    """Read the whole timetable with its names: a fixed number of queries."""
    snapshot = TimetableSnapshot(version=version, as_of=as_of)
    entries = await session.execute(
        sa_select(
            col(TimetableEntry.group_id),
            col(TimetableEntry.weekday),
            col(TimetableEntry.lesson_no),
            col(TimetableEntry.subgroup),
            col(TimetableEntry.week_parity),
            col(TimetableEntry.subject_id),
            col(TimetableEntry.teacher_id),
            col(TimetableEntry.room_id),
            col(TimetableEntry.valid_from),
            col(TimetableEntry.valid_to),
        )
    )
    by_group: defaultdict[int, list[Entry]] = defaultdict(list)
    teacher_groups: defaultdict[int, set[int]] = defaultdict(set)
    room_groups: defaultdict[int, set[int]] = defaultdict(set)
    subject_teachers: defaultdict[int, set[int]] = defaultdict(set)
    for entry_row in entries.all():
        entry = Entry(*tuple(entry_row))
        by_group[entry.group_id].append(entry)
        if entry.teacher_id is not None:
            teacher_groups[entry.teacher_id].add(entry.group_id)
            subject_teachers[entry.subject_id].add(entry.teacher_id)
        if entry.room_id is not None:
            room_groups[entry.room_id].add(entry.group_id)
    snapshot.entries, snapshot.teacher_groups = dict(by_group), dict(teacher_groups)
    snapshot.room_groups, snapshot.subject_teachers = dict(room_groups), dict(subject_teachers)
    changes = await session.execute(
        sa_select(
            col(TimetableChange.date),
            col(TimetableChange.group_id),
            col(TimetableChange.lesson_no),
            col(TimetableChange.subgroup),
            col(TimetableChange.change_type),
            col(TimetableChange.subject_id),
            col(TimetableChange.new_teacher_id),
            col(TimetableChange.new_room_id),
            col(TimetableChange.moved_to_date),
            col(TimetableChange.moved_to_lesson),
            col(TimetableChange.reason),
        )
    )
    for change_row in changes.all():
        change = Change(*tuple(change_row))
        snapshot.changes.setdefault(change.date, {}).setdefault(change.group_id, []).append(change)
        if change.moved_to_date is not None:
            moved = snapshot.moved_in.setdefault(change.moved_to_date, {})
            moved.setdefault(change.group_id, []).append(change)
    holidays = await session.execute(
        sa_select(col(Holiday.date_from), col(Holiday.date_to), col(Holiday.name))
    )
    snapshot.holidays = sorted((start, end, name) for start, end, name in holidays.all())
    await _load_names(session, snapshot)
    return snapshot


async def _load_names(session: AsyncSession, snapshot: TimetableSnapshot) -> None:
    subjects = await session.execute(
        sa_select(
            col(Subject.id), col(Subject.name_lv), col(Subject.name_key), col(Subject.grading)
        )
    )
    for ident, name, key, grading in subjects.all():
        snapshot.subjects[ident or 0], snapshot.subject_keys[ident or 0] = name, key
        if grading == "10":
            snapshot.graded.add(ident or 0)
    staff = await session.execute(
        sa_select(
            col(Staff.id),
            col(Staff.first_name),
            col(Staff.last_name),
            col(Staff.name_key),
            col(Staff.active),
        )
    )
    for ident, first, last, key, active in staff.all():
        snapshot.staff[ident or 0] = f"{first} {last}"
        if active:
            snapshot.staff_keys[ident or 0] = key
    rooms = await session.execute(
        sa_select(col(Room.id), col(Room.code), col(Building.name), col(Building.code)).join(
            Building, col(Building.id) == col(Room.building_id)
        )
    )
    for ident, code, building, building_code in rooms.all():
        snapshot.places[ident or 0] = Place(code, building, building_code)
        snapshot.room_codes[code.upper()] = ident or 0
    groups = await session.execute(
        sa_select(col(StudyGroup.id), col(StudyGroup.code), col(StudyGroup.code_key))
    )
    for ident, code, key in groups.all():
        snapshot.groups[ident or 0] = code
        snapshot.group_keys[key] = ident or 0
    bells = await session.execute(
        sa_select(
            col(BellTime.lesson_no),
            col(BellTime.building_code),
            col(BellTime.start),
            col(BellTime.end),
        )
    )
    snapshot.bells = {(n, building): (start, end) for n, building, start, end in bells.all()}


class TimetableCache:
    """The current snapshot, shared by every update; reloaded once when a new import lands."""

    def __init__(self) -> None:
        self._snapshot: TimetableSnapshot | None = None
        self._lock = asyncio.Lock()

    async def current(self, session: AsyncSession, stamps: ImportStamps) -> TimetableSnapshot:
        """Return the snapshot of the data these stamps describe (no query if it is loaded)."""
        version = stamps.version_of(SNAPSHOT_KINDS)
        snapshot = self._snapshot
        if snapshot is None or snapshot.version != version:
            async with self._lock:  # one load, however many updates arrive meanwhile
                snapshot = self._snapshot
                if snapshot is None or snapshot.version != version:
                    as_of = stamps.as_of(TIMETABLE_KINDS)
                    snapshot = await load_snapshot(session, version=version, as_of=as_of)
                    self._snapshot = snapshot
        return snapshot
