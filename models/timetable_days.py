"""A group's, teacher's or room's lessons on given days, with the day's changes applied."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select as sa_select  # nine columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_, select

from models.name_search import active_staff, match_names
from models.school import Building, Room, Staff, StudyGroup, Subject
from models.text import group_key
from models.timetable import BellTime, ChangeType, Holiday, TimetableChange, TimetableEntry

MAX_DAYS = 14  # one request never spans more than two weeks


class TargetKind(StrEnum):
    GROUP = "g"
    TEACHER = "t"
    ROOM = "r"


@dataclass(frozen=True)
class Target:
    """Whose timetable: a group, a teacher or a room, by id, with a name to show."""

    kind: TargetKind
    id: int
    name: str


@dataclass
class Lesson:
    """One lesson as it will really happen (or not), for display."""

    lesson_no: int
    start: dt.time | None
    end: dt.time | None
    subject: str
    teacher: str
    room: str
    building: str
    group: str
    subgroup: str = ""
    change: str = ""  # a ChangeType, or "" for an ordinary lesson
    was: str = ""  # the teacher or room before a change
    moved_to: str = ""  # where a moved lesson went
    reason: str = ""


@dataclass
class Day:
    """One date: its lessons in order, or why there are none."""

    date: dt.date
    lessons: list[Lesson] = field(default_factory=list)
    holiday: str = ""  # the holiday's name; weekends are told by the date

    @property
    def is_off(self) -> bool:
        return bool(self.holiday) or self.date.isoweekday() > 5


async def holidays_between(
    session: AsyncSession, first: dt.date, last: dt.date
) -> list[tuple[dt.date, dt.date, str]]:
    rows = await session.execute(
        select(col(Holiday.date_from), col(Holiday.date_to), col(Holiday.name)).where(
            col(Holiday.date_from) <= last, col(Holiday.date_to) >= first
        )
    )
    return [(start, end, name) for start, end, name in rows.all()]


async def next_school_day(session: AsyncSession, *, after: dt.date) -> dt.date:
    """Return the first day after `after` that is neither a weekend nor a holiday."""
    holidays = await holidays_between(session, after, after + dt.timedelta(days=120))
    day = after + dt.timedelta(days=1)
    while day.isoweekday() > 5 or any(start <= day <= end for start, end, _ in holidays):
        day += dt.timedelta(days=1)
    return day


async def find_targets(session: AsyncSession, text: str, *, limit: int = 5) -> list[Target]:
    """Find groups, rooms or teachers a person means: 'am21', 'STR16-204', 'Ozols', 'Озолс'."""
    text = text.strip()[:100]
    if not text:
        return []
    key = group_key(text)
    if key:
        group = await session.scalar(select(StudyGroup).where(col(StudyGroup.code_key) == key))
        if group is not None and group.id is not None:
            return [Target(TargetKind.GROUP, group.id, group.code)]
    room = await session.scalar(select(Room).where(col(Room.code) == text.upper()))
    if room is not None and room.id is not None:
        return [Target(TargetKind.ROOM, room.id, room.code)]
    teachers = await active_staff(session, text)
    names = {ident: staff.name_key for ident, staff in teachers.items()}
    found = match_names(text, names, limit=limit)
    return [Target(TargetKind.TEACHER, ident, teachers[ident].full_name) for ident in found]


async def get_target(session: AsyncSession, kind: TargetKind, ident: int) -> Target | None:
    """Load a target named in callback data (it may be gone since the button was made)."""
    if kind is TargetKind.GROUP:
        group = await session.get(StudyGroup, ident)
        return Target(kind, ident, group.code) if group else None
    if kind is TargetKind.ROOM:
        room = await session.get(Room, ident)
        return Target(kind, ident, room.code) if room else None
    staff = await session.get(Staff, ident)
    return Target(kind, ident, staff.full_name) if staff else None


def _entry_filter(target: Target) -> object:
    if target.kind is TargetKind.GROUP:
        return col(TimetableEntry.group_id) == target.id
    if target.kind is TargetKind.ROOM:
        return col(TimetableEntry.room_id) == target.id
    return col(TimetableEntry.teacher_id) == target.id


def _change_filter(target: Target) -> object:
    if target.kind is TargetKind.GROUP:
        return col(TimetableChange.group_id) == target.id
    if target.kind is TargetKind.ROOM:
        return col(TimetableChange.new_room_id) == target.id
    return col(TimetableChange.new_teacher_id) == target.id


def _parity_ok(entry: TimetableEntry, day: dt.date) -> bool:
    if not entry.week_parity:
        return True
    return entry.week_parity == ("odd" if day.isocalendar().week % 2 else "even")


async def list_days(
    session: AsyncSession, target: Target, first: dt.date, last: dt.date
) -> list[Day]:
    """Return every date from first to last with its lessons; a fixed number of queries."""
    last = min(last, first + dt.timedelta(days=MAX_DAYS - 1))
    holidays = await holidays_between(session, first, last)
    # The entries with every name they show, in one query (each query costs a thread hop).
    rows = (
        await session.execute(
            sa_select(
                TimetableEntry, col(Subject.name_lv), col(Staff.first_name),
                col(Staff.last_name), col(Room.code), col(Building.name), col(StudyGroup.code),
                col(BellTime.start), col(BellTime.end),
            )
            .join(StudyGroup, col(StudyGroup.id) == col(TimetableEntry.group_id))
            .outerjoin(Subject, col(Subject.id) == col(TimetableEntry.subject_id))
            .outerjoin(Staff, col(Staff.id) == col(TimetableEntry.teacher_id))
            .outerjoin(Room, col(Room.id) == col(TimetableEntry.room_id))
            .outerjoin(Building, col(Building.id) == col(Room.building_id))
            .outerjoin(BellTime, (col(BellTime.lesson_no) == col(TimetableEntry.lesson_no))
                       & (col(BellTime.building_code) == ""))
            .where(
                _entry_filter(target),  # type: ignore[arg-type]  # a column comparison
                col(TimetableEntry.valid_from) <= last,
                col(TimetableEntry.valid_to) >= first,
            )
        )
    ).all()  # fmt: skip
    entries = [row[0] for row in rows]
    names = _Names({}, {}, {}, {}, {})
    for entry, subject, first_name, last_name, room, building, group, start, end in rows:
        names.subjects[entry.subject_id] = subject or ""
        if entry.teacher_id is not None:
            names.staff[entry.teacher_id] = f"{first_name} {last_name}"
        if entry.room_id is not None:
            names.rooms[entry.room_id] = (room or "", building or "")
        names.groups[entry.group_id] = group
        if start is not None and end is not None:
            names.bells[entry.lesson_no] = (start, end)
    # Changes that touch the target: its own group's, or lessons it takes over or loses.
    group_ids = {e.group_id for e in entries}
    changes = list(
        await session.scalars(
            select(TimetableChange).where(
                col(TimetableChange.date).between(first, last),
                or_(
                    _change_filter(target),  # type: ignore[arg-type]
                    col(TimetableChange.group_id).in_(group_ids),
                ),
            )
        )
    )
    await _complete(session, names, changes)
    days = []
    for offset in range((last - first).days + 1):
        date = first + dt.timedelta(days=offset)
        holiday = next((name for start, end, name in holidays if start <= date <= end), "")
        day = Day(date, holiday=holiday)
        if not day.is_off:
            day.lessons = _lessons_of(target, date, entries, changes, names)
        days.append(day)
    return days


@dataclass
class _Names:
    subjects: dict[int, str]
    staff: dict[int, str]
    rooms: dict[int, tuple[str, str]]  # code, building name
    groups: dict[int, str]
    bells: dict[int, tuple[dt.time, dt.time]]


async def _complete(
    session: AsyncSession, names: _Names, changes: Sequence[TimetableChange]
) -> None:
    """Look up what only the changes name (a substitute, another room, an added lesson)."""
    subject_ids = {c.subject_id for c in changes if c.subject_id} - names.subjects.keys()
    staff_ids = {c.new_teacher_id for c in changes if c.new_teacher_id} - names.staff.keys()
    room_ids = {c.new_room_id for c in changes if c.new_room_id} - names.rooms.keys()
    group_ids = {c.group_id for c in changes} - names.groups.keys()
    lessons = {c.lesson_no for c in changes} - names.bells.keys()
    if subject_ids:
        rows = await session.execute(
            select(col(Subject.id), col(Subject.name_lv)).where(col(Subject.id).in_(subject_ids))
        )
        names.subjects.update({int(i or 0): name for i, name in rows.all()})
    if staff_ids:
        staff = await session.scalars(select(Staff).where(col(Staff.id).in_(staff_ids)))
        names.staff.update({s.id: s.full_name for s in staff if s.id is not None})
    if room_ids:
        rooms = await session.execute(
            select(col(Room.id), col(Room.code), col(Building.name))
            .join(Building, col(Building.id) == col(Room.building_id))
            .where(col(Room.id).in_(room_ids))
        )
        names.rooms.update({int(i or 0): (code, building) for i, code, building in rooms.all()})
    if group_ids:
        groups = await session.execute(
            select(col(StudyGroup.id), col(StudyGroup.code)).where(
                col(StudyGroup.id).in_(group_ids)
            )
        )
        names.groups.update({int(i or 0): code for i, code in groups.all()})
    if lessons:
        bells = await session.execute(
            select(col(BellTime.lesson_no), col(BellTime.start), col(BellTime.end)).where(
                col(BellTime.building_code) == "", col(BellTime.lesson_no).in_(lessons)
            )
        )
        names.bells.update({n: (start, end) for n, start, end in bells.all()})


def _lessons_of(
    target: Target,
    date: dt.date,
    entries: Sequence[TimetableEntry],
    changes: Sequence[TimetableChange],
    names: _Names,
) -> list[Lesson]:
    todays = {
        (e.group_id, e.lesson_no, e.subgroup): e
        for e in entries
        if e.weekday == date.isoweekday()
        and e.valid_from <= date <= e.valid_to
        and _parity_ok(e, date)
    }
    lessons: dict[tuple[int, int, str], Lesson] = {}
    for key, entry in todays.items():
        lessons[key] = _lesson(entry.lesson_no, entry.subject_id, entry.teacher_id, entry.room_id,
                               entry.group_id, entry.subgroup, names)  # fmt: skip
    for change in (c for c in changes if c.date == date):
        key = (change.group_id, change.lesson_no, change.subgroup)
        lesson = lessons.get(key)
        if change.change_type == ChangeType.ADDED:
            if target.kind is TargetKind.GROUP and change.group_id != target.id:
                continue
            added = _lesson(
                change.lesson_no, change.subject_id, change.new_teacher_id, change.new_room_id,
                change.group_id, change.subgroup, names,
            )  # fmt: skip
            added.change, added.reason = ChangeType.ADDED, change.reason
            lessons[key] = added
            continue
        if lesson is None:
            continue  # a change to a lesson this target does not have that day
        lesson.change, lesson.reason = change.change_type, change.reason
        if change.change_type == ChangeType.SUBSTITUTE and change.new_teacher_id:
            lesson.was, lesson.teacher = lesson.teacher, names.staff.get(change.new_teacher_id, "")
        elif change.change_type == ChangeType.ROOM and change.new_room_id:
            lesson.was = lesson.room
            lesson.room, lesson.building = names.rooms.get(change.new_room_id, ("", ""))
        elif change.change_type == ChangeType.MOVED and change.moved_to_date:
            lesson.moved_to = f"{change.moved_to_date:%d.%m.}" + (
                f" {change.moved_to_lesson}." if change.moved_to_lesson is not None else ""
            )
    return sorted(lessons.values(), key=lambda lesson: (lesson.lesson_no, lesson.subgroup))


def _lesson(
    lesson_no: int, subject_id: int | None, teacher_id: int | None, room_id: int | None,
    group_id: int, subgroup: str, names: _Names,
) -> Lesson:  # fmt: skip
    start, end = names.bells.get(lesson_no, (None, None))
    room, building = names.rooms.get(room_id, ("", "")) if room_id else ("", "")
    return Lesson(
        lesson_no=lesson_no, start=start, end=end,
        subject=names.subjects.get(subject_id, "") if subject_id else "",
        teacher=names.staff.get(teacher_id, "") if teacher_id else "",
        room=room, building=building, group=names.groups.get(group_id, ""), subgroup=subgroup,
    )  # fmt: skip
