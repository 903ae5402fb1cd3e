"""Timetable changes in the next school days, and who must hear about each one."""

import asyncio
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import and_
from sqlalchemy import select as sa_select  # many columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.accounts import TelegramAccount
from models.school import Room, Staff, Student, StudentStatus, StudyGroup, Subject
from models.timetable import Holiday, TimetableChange, TimetableEntry


@dataclass(frozen=True)
class Recipient:
    """A linked person who gets a notice, in their own language."""

    chat_id: int
    language: str | None


@dataclass
class ChangeNotice:
    """One timetable change, with the lesson it changes and the people it concerns."""

    change_id: int
    fingerprint: str  # changes when the change itself is edited, so an edit is notified again
    date: dt.date
    lesson_no: int
    subgroup: str
    change_type: str
    group_code: str
    subject: str
    old_teacher: str
    new_teacher: str
    old_room: str
    new_room: str
    moved_to_date: dt.date | None
    moved_to_lesson: int | None
    reason: str
    recipients: list[Recipient] = field(default_factory=list)


async def school_days_from(session: AsyncSession, *, today: dt.date, count: int) -> list[dt.date]:
    """Return the first `count` school days from today on (weekends and holidays skipped)."""
    horizon = today + dt.timedelta(days=count * 7 + 14)
    holidays = (
        await session.execute(
            select(col(Holiday.date_from), col(Holiday.date_to)).where(
                col(Holiday.date_from) <= horizon, col(Holiday.date_to) >= today
            )
        )
    ).all()
    days: list[dt.date] = []
    day = today
    while len(days) < count and day <= horizon:
        off = day.isoweekday() > 5 or any(start <= day <= end for start, end in holidays)
        if not off:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _fingerprint(change: TimetableChange) -> str:
    fields = (
        change.change_type,
        change.subject_id,
        change.new_teacher_id,
        change.new_room_id,
        change.moved_to_date,
        change.moved_to_lesson,
        change.reason,
    )
    return hashlib.sha256(repr(fields).encode()).hexdigest()[:16]


class _Lesson(NamedTuple):
    """The weekly lesson a change changes: who taught it where, and what."""

    subject_id: int
    teacher_id: int | None
    room_id: int | None


_ROWS_PER_SLICE = 1000
_CHANGES_PER_SLICE = 100
_SlotKey = tuple[int, dt.date, int, str]  # group, date, lesson number, subgroup


def _parity_matches(week_parity: str, day: dt.date) -> bool:
    if not week_parity:
        return True
    odd = day.isocalendar().week % 2 == 1
    return week_parity == ("odd" if odd else "even")


async def _original_lessons(
    session: AsyncSession, *, days: Sequence[dt.date]
) -> dict[_SlotKey, _Lesson]:
    """Return the weekly lesson each change on these days replaces, keyed by its slot.

    The database pairs each change with the entries of its group, lesson and subgroup that are
    valid on its date (an index covers that), so the work grows with the changes, not with
    changes times the whole timetable. Where several entries fit, the last one (by id) wins.
    """
    rows = await session.execute(
        sa_select(
            col(TimetableChange.group_id),
            col(TimetableChange.date),
            col(TimetableChange.lesson_no),
            col(TimetableChange.subgroup),
            col(TimetableEntry.weekday),
            col(TimetableEntry.week_parity),
            col(TimetableEntry.subject_id),
            col(TimetableEntry.teacher_id),
            col(TimetableEntry.room_id),
        )
        .join(
            TimetableEntry,
            and_(
                col(TimetableEntry.group_id) == col(TimetableChange.group_id),
                col(TimetableEntry.lesson_no) == col(TimetableChange.lesson_no),
                col(TimetableEntry.subgroup) == col(TimetableChange.subgroup),
                col(TimetableEntry.valid_from) <= col(TimetableChange.date),
                col(TimetableEntry.valid_to) >= col(TimetableChange.date),
            ),
        )
        .where(
            col(TimetableChange.date).in_(days),
            col(TimetableEntry.weekday).in_({day.isoweekday() for day in days}),
        )
        .order_by(col(TimetableEntry.id))
    )
    original: dict[_SlotKey, _Lesson] = {}
    for group_id, date, lesson_no, subgroup, weekday, parity, subject, teacher, room in rows:
        if weekday == date.isoweekday() and _parity_matches(parity, date):
            original[(group_id, date, lesson_no, subgroup)] = _Lesson(subject, teacher, room)
    return original


async def list_change_notices(
    session: AsyncSession, *, days: Sequence[dt.date]
) -> list[ChangeNotice]:
    """Return the changes on these days with their original lesson and their recipients."""
    if not days:
        return []
    changes = list(
        await session.scalars(select(TimetableChange).where(col(TimetableChange.date).in_(days)))
    )
    if not changes:
        return []
    group_ids = {change.group_id for change in changes}
    original = await _original_lessons(session, days=days)
    names = await _names(session, changes, original.values())
    staff_ids = {ident for ident in names.staff if ident is not None}
    students_by_group = await _students_by_group(session, group_ids=group_ids)
    teacher_accounts = await _teacher_accounts(session, staff_ids=staff_ids)

    notices = []
    for index, change in enumerate(
        sorted(changes, key=lambda c: (c.date, c.group_id, c.lesson_no))
    ):
        if index % _CHANGES_PER_SLICE == _CHANGES_PER_SLICE - 1:
            await asyncio.sleep(0)  # a large school's changes: let the bot answer in between
        lesson = original.get((change.group_id, change.date, change.lesson_no, change.subgroup))
        old_teacher_id = lesson.teacher_id if lesson else None
        teacher_ids = [t for t in (old_teacher_id, change.new_teacher_id) if t]
        recipients = list(students_by_group[change.group_id])
        recipients += [
            teacher_accounts[t] for t in dict.fromkeys(teacher_ids) if t in teacher_accounts
        ]
        notices.append(_notice(change, lesson, names, recipients))
    return notices


def _notice(
    change: TimetableChange, lesson: _Lesson | None, names: "_Names", recipients: list[Recipient]
) -> ChangeNotice:
    """Describe one change with the names the people who get it know."""
    assert change.id is not None
    old_teacher_id = lesson.teacher_id if lesson else None
    subject_id = change.subject_id or (lesson.subject_id if lesson else None)
    return ChangeNotice(
        change_id=change.id,
        fingerprint=_fingerprint(change),
        date=change.date,
        lesson_no=change.lesson_no,
        subgroup=change.subgroup,
        change_type=change.change_type,
        group_code=names.groups.get(change.group_id, ""),
        subject=names.subjects.get(subject_id, "") if subject_id else "",
        old_teacher=_name(names.staff, old_teacher_id),
        new_teacher=_name(names.staff, change.new_teacher_id),
        old_room=names.rooms.get(lesson.room_id, "") if lesson and lesson.room_id else "",
        new_room=names.rooms.get(change.new_room_id, "") if change.new_room_id else "",
        moved_to_date=change.moved_to_date,
        moved_to_lesson=change.moved_to_lesson,
        reason=change.reason,
        recipients=recipients,
    )


class _Names(NamedTuple):
    staff: dict[int | None, Staff]
    rooms: dict[int | None, str]
    subjects: dict[int | None, str]
    groups: dict[int | None, str]


async def _names(
    session: AsyncSession, changes: Sequence[TimetableChange], lessons: Iterable[_Lesson]
) -> _Names:
    """The teachers, rooms, subjects and groups the changes and their lessons name."""
    lessons = list(lessons)
    staff_ids = {e.teacher_id for e in lessons if e.teacher_id} | {
        c.new_teacher_id for c in changes if c.new_teacher_id
    }
    room_ids = {e.room_id for e in lessons if e.room_id} | {
        c.new_room_id for c in changes if c.new_room_id
    }
    subject_ids = {e.subject_id for e in lessons} | {c.subject_id for c in changes if c.subject_id}
    group_ids = {c.group_id for c in changes}
    staff = {
        s.id: s for s in await session.scalars(select(Staff).where(col(Staff.id).in_(staff_ids)))
    }
    rooms = {
        r.id: r.code for r in await session.scalars(select(Room).where(col(Room.id).in_(room_ids)))
    }
    subjects = {
        s.id: s.name_lv
        for s in await session.scalars(select(Subject).where(col(Subject.id).in_(subject_ids)))
    }
    groups = {
        g.id: g.code
        for g in await session.scalars(select(StudyGroup).where(col(StudyGroup.id).in_(group_ids)))
    }
    return _Names(staff, rooms, subjects, groups)


async def _students_by_group(
    session: AsyncSession, *, group_ids: set[int]
) -> defaultdict[int, list[Recipient]]:
    """The linked active students of these groups who want notices, read a slice at a time.

    A large school has thousands: each slice is a separate fetch, so the loop answers others
    between slices instead of waiting for them all.
    """
    students_by_group: defaultdict[int, list[Recipient]] = defaultdict(list)
    result = await session.stream(
        select(Student.group_id, TelegramAccount.telegram_id, TelegramAccount.language)
        .join(TelegramAccount, col(TelegramAccount.student_id) == col(Student.id))
        .join(StudyGroup, col(StudyGroup.id) == col(Student.group_id))
        .where(
            col(Student.group_id).in_(group_ids),
            col(Student.status) == StudentStatus.ACTIVE,
            col(StudyGroup.bot_access),
            col(TelegramAccount.notify_changes),
            col(TelegramAccount.blocked).is_(False),
        )
    )
    async for rows in result.partitions(_ROWS_PER_SLICE):
        for group_id, chat_id, language in rows:
            students_by_group[group_id].append(Recipient(chat_id, language))
    return students_by_group


async def _teacher_accounts(session: AsyncSession, *, staff_ids: set[int]) -> dict[int, Recipient]:
    """The accounts of these teachers who want notices."""
    rows = await session.execute(
        select(
            TelegramAccount.staff_id, TelegramAccount.telegram_id, TelegramAccount.language
        ).where(
            col(TelegramAccount.staff_id).in_(staff_ids),
            col(TelegramAccount.notify_changes),
            col(TelegramAccount.blocked).is_(False),
        )
    )
    return {
        staff_id: Recipient(chat_id, language) for staff_id, chat_id, language in rows if staff_id
    }


def _name(staff: dict[int | None, Staff], staff_id: int | None) -> str:
    person = staff.get(staff_id) if staff_id else None
    return person.full_name if person else ""
