"""Timetable changes in the next school days, and who must hear about each one."""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

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
        change.change_type, change.subject_id, change.new_teacher_id, change.new_room_id,
        change.moved_to_date, change.moved_to_lesson, change.reason,
    )  # fmt: skip
    return hashlib.sha256(repr(fields).encode()).hexdigest()[:16]


def _parity_matches(entry: TimetableEntry, day: dt.date) -> bool:
    if not entry.week_parity:
        return True
    odd = day.isocalendar().week % 2 == 1
    return entry.week_parity == ("odd" if odd else "even")


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
    entries = list(
        await session.scalars(
            select(TimetableEntry).where(
                col(TimetableEntry.group_id).in_(group_ids),
                col(TimetableEntry.valid_from) <= max(days),
                col(TimetableEntry.valid_to) >= min(days),
            )
        )
    )
    original: dict[tuple[int, dt.date, int, str], TimetableEntry] = {}
    for change in changes:
        for entry in entries:
            if (
                entry.group_id == change.group_id
                and entry.weekday == change.date.isoweekday()
                and entry.lesson_no == change.lesson_no
                and entry.subgroup == change.subgroup
                and entry.valid_from <= change.date <= entry.valid_to
                and _parity_matches(entry, change.date)
            ):
                original[(change.group_id, change.date, change.lesson_no, change.subgroup)] = entry

    staff_ids = {e.teacher_id for e in original.values() if e.teacher_id} | {
        c.new_teacher_id for c in changes if c.new_teacher_id
    }
    room_ids = {e.room_id for e in original.values() if e.room_id} | {
        c.new_room_id for c in changes if c.new_room_id
    }
    subject_ids = {e.subject_id for e in original.values()} | {
        c.subject_id for c in changes if c.subject_id
    }
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
    students_by_group: dict[int, list[Recipient]] = defaultdict(list)
    for group_id, chat_id, language in await session.execute(
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
    ):
        students_by_group[group_id].append(Recipient(chat_id, language))
    teacher_accounts = {
        staff_id: Recipient(chat_id, language)
        for staff_id, chat_id, language in await session.execute(
            select(
                TelegramAccount.staff_id, TelegramAccount.telegram_id, TelegramAccount.language
            ).where(
                col(TelegramAccount.staff_id).in_(staff_ids),
                col(TelegramAccount.notify_changes),
                col(TelegramAccount.blocked).is_(False),
            )
        )
    }

    notices = []
    for change in sorted(changes, key=lambda c: (c.date, c.group_id, c.lesson_no)):
        assert change.id is not None
        lesson = original.get((change.group_id, change.date, change.lesson_no, change.subgroup))
        old_teacher_id = lesson.teacher_id if lesson else None
        teacher_ids = [t for t in (old_teacher_id, change.new_teacher_id) if t]
        recipients = list(students_by_group[change.group_id])
        recipients += [
            teacher_accounts[t] for t in dict.fromkeys(teacher_ids) if t in teacher_accounts
        ]
        subject_id = change.subject_id or (lesson.subject_id if lesson else None)
        notices.append(
            ChangeNotice(
                change_id=change.id,
                fingerprint=_fingerprint(change),
                date=change.date,
                lesson_no=change.lesson_no,
                subgroup=change.subgroup,
                change_type=change.change_type,
                group_code=groups.get(change.group_id, ""),
                subject=subjects.get(subject_id, "") if subject_id else "",
                old_teacher=_name(staff, old_teacher_id),
                new_teacher=_name(staff, change.new_teacher_id),
                old_room=rooms.get(lesson.room_id, "") if lesson and lesson.room_id else "",
                new_room=rooms.get(change.new_room_id, "") if change.new_room_id else "",
                moved_to_date=change.moved_to_date,
                moved_to_lesson=change.moved_to_lesson,
                reason=change.reason,
                recipients=recipients,
            )
        )
    return notices


def _name(staff: dict[int | None, Staff], staff_id: int | None) -> str:
    person = staff.get(staff_id) if staff_id else None
    return person.full_name if person else ""
