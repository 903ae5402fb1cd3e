"""Timetable change notices: the right people, once, in their language, urgent when it matters."""

import datetime as dt
from dataclasses import dataclass

from sqlmodel import SQLModel, col, select

from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import gettext_for
from jobs.change_notices import queue_change_notices
from models.accounts import TelegramAccount
from models.importing import import_bytes
from models.outbox import OutboxMessage
from models.school import Building, Room, Staff, Student, StudyGroup, Subject
from models.timetable import Holiday, TimetableChange, TimetableEntry

FRIDAY = dt.date(2026, 11, 27)
MONDAY = dt.date(2026, 11, 30)
NOON = dt.time(12, 0)


def _id(row: SQLModel) -> int:
    ident = getattr(row, "id", None)
    assert isinstance(ident, int), "flush() first"
    return ident


@dataclass
class School:
    group: StudyGroup
    teacher: Staff
    substitute: Staff
    room: Room
    subject: Subject
    student: Student


async def _school(sessionmaker: SessionMaker) -> School:
    async with sessionmaker.begin() as session:
        building = Building(code="STR16", name="Strādnieku iela 16")
        session.add(building)
        await session.flush()
        room = Room(code="STR16-101", building_id=_id(building))
        new_room = Room(code="STR16-305", building_id=_id(building))
        group = StudyGroup(code="AM-21", code_key="AM21", course=2)
        subject = Subject(code="MAT", name_lv="Matemātika", name_key="matematika")
        teacher = Staff(code="T1", first_name="Teacher", last_name="One", name_key="teacher one")
        substitute = Staff(code="T2", first_name="Teacher", last_name="Two", name_key="teacher two")
        session.add_all([room, new_room, group, subject, teacher, substitute])
        await session.flush()
        students = [
            Student(
                student_number=f"S{n}",
                first_name="Student",
                last_name=str(n),
                name_key=f"student {n}",
                group_id=_id(group),
                status=status,
            )
            for n, status in enumerate(["active", "active", "active", "expelled"], start=1)
        ]
        session.add_all(students)
        await session.flush()
        session.add_all(
            [
                TelegramAccount(telegram_id=101, student_id=students[0].id, language="lv"),
                TelegramAccount(telegram_id=102, student_id=students[1].id, notify_changes=False),
                TelegramAccount(telegram_id=104, student_id=students[3].id),
                TelegramAccount(telegram_id=201, staff_id=teacher.id, language="ru"),
                TelegramAccount(telegram_id=202, staff_id=substitute.id, language="en"),
                TimetableEntry(
                    group_id=_id(group),
                    weekday=1,
                    lesson_no=1,
                    subject_id=_id(subject),
                    teacher_id=teacher.id,
                    room_id=room.id,
                    valid_from=dt.date(2026, 9, 1),
                    valid_to=dt.date(2027, 6, 30),
                ),
            ]
        )
        return School(group, teacher, substitute, room, subject, students[0])


async def _substitute_on_monday(sessionmaker: SessionMaker, school: School) -> int:
    async with sessionmaker.begin() as session:
        change = TimetableChange(
            date=MONDAY,
            group_id=_id(school.group),
            lesson_no=1,
            change_type="substitute",
            new_teacher_id=school.substitute.id,
        )
        session.add(change)
        await session.flush()
        assert change.id is not None
        return change.id


async def _outbox(sessionmaker: SessionMaker) -> dict[int, OutboxMessage]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(OutboxMessage))
        return {row.chat_id: row for row in rows}


def _at(day: dt.date, settings: Settings) -> dt.datetime:
    return dt.datetime.combine(day, NOON, tzinfo=settings.tz)


async def test_affected_students_and_both_teachers_get_one_notice_each(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    school = await _school(sessionmaker)
    await _substitute_on_monday(sessionmaker, school)

    queued = await queue_change_notices(sessionmaker, settings, _at(FRIDAY, settings))

    sent = await _outbox(sessionmaker)
    assert queued == 3
    assert sorted(sent) == [101, 201, 202]  # not: notices off (102), expelled (104)
    assert "Matemātika" in sent[101].text and "30.11.2026" in sent[101].text
    assert "Teacher One → Teacher Two" in sent[202].text
    assert "замена преподавателя" in sent[201].text


async def test_the_same_changes_again_send_nothing(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    school = await _school(sessionmaker)
    await _substitute_on_monday(sessionmaker, school)
    await queue_change_notices(sessionmaker, settings, _at(FRIDAY, settings))

    assert await queue_change_notices(sessionmaker, settings, _at(FRIDAY, settings)) == 0
    assert len(await _outbox(sessionmaker)) == 3


async def test_an_edited_change_is_notified_again(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    school = await _school(sessionmaker)
    change_id = await _substitute_on_monday(sessionmaker, school)
    await queue_change_notices(sessionmaker, settings, _at(FRIDAY, settings))
    async with sessionmaker.begin() as session:
        change = await session.get(TimetableChange, change_id)
        assert change is not None
        change.change_type = "cancelled"
        change.new_teacher_id = None

    assert await queue_change_notices(sessionmaker, settings, _at(FRIDAY, settings)) == 2
    async with sessionmaker() as session:
        texts = list(
            await session.scalars(
                select(OutboxMessage.text).where(col(OutboxMessage.chat_id) == 101)
            )
        )
    assert len(texts) == 2 and "atcelta" in texts[-1]


async def test_changes_beyond_the_next_two_school_days_wait(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    school = await _school(sessionmaker)
    await _substitute_on_monday(sessionmaker, school)
    async with sessionmaker.begin() as session:
        session.add(Holiday(date_from=FRIDAY, date_to=FRIDAY, name="School holiday"))

    # Thursday: Thursday itself and Friday... but Friday is a holiday, so Monday counts.
    thursday = FRIDAY - dt.timedelta(days=1)
    assert await queue_change_notices(sessionmaker, settings, _at(thursday, settings)) == 3
    async with sessionmaker.begin() as session:
        session.add(Holiday(date_from=MONDAY, date_to=MONDAY, name="Another holiday"))
        change = await session.scalar(select(TimetableChange))
        assert change is not None
        change.date = dt.date(2026, 12, 2)  # Wednesday: beyond Thursday's two school days
    assert await queue_change_notices(sessionmaker, settings, _at(thursday, settings)) == 0


async def test_a_change_to_tomorrows_first_lesson_is_urgent(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    school = await _school(sessionmaker)
    await _substitute_on_monday(sessionmaker, school)
    sunday = MONDAY - dt.timedelta(days=1)
    await queue_change_notices(sessionmaker, settings, _at(sunday, settings))
    assert all(row.urgent for row in (await _outbox(sessionmaker)).values())


async def test_a_later_change_is_not_urgent(sessionmaker: SessionMaker, settings: Settings) -> None:
    school = await _school(sessionmaker)
    await _substitute_on_monday(sessionmaker, school)
    await queue_change_notices(sessionmaker, settings, _at(FRIDAY, settings))
    assert not any(row.urgent for row in (await _outbox(sessionmaker)).values())


async def test_imported_changes_are_notified_once_even_when_imported_twice(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    await _school(sessionmaker)
    changes = (
        "date;group;lesson_no;change_type;new_teacher;reason\n"
        f"{MONDAY:%d.%m.%Y};am 21;1;substitute;T2;Skolotāja slimība\n"
    ).encode()
    now = _at(FRIDAY, settings)
    for _ in range(2):
        report = await import_bytes(
            sessionmaker, changes, "izmainas.csv", limits=settings.import_limits, now=now
        )
        assert report.ok, report.render(gettext_for("en"))
        await queue_change_notices(sessionmaker, settings, now)
    sent = await _outbox(sessionmaker)
    assert sorted(sent) == [101, 201, 202]
    assert "Teacher One → Teacher Two" in sent[202].text


def _lesson_one_on_mondays(
    school: School,
    teacher_id: int | None,
    *,
    weekday: int = 1,
    subgroup: str = "",
    week_parity: str = "",
    valid_from: dt.date = dt.date(2026, 9, 1),
    valid_to: dt.date = dt.date(2027, 6, 30),
) -> TimetableEntry:
    return TimetableEntry(
        group_id=_id(school.group),
        weekday=weekday,
        lesson_no=1,
        subgroup=subgroup,
        week_parity=week_parity,
        subject_id=_id(school.subject),
        teacher_id=teacher_id,
        valid_from=valid_from,
        valid_to=valid_to,
    )


async def test_the_changed_lesson_is_the_one_of_that_week_subgroup_and_term(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    school = await _school(sessionmaker)
    async with sessionmaker.begin() as session:
        other = Staff(code="T3", first_name="Teacher", last_name="Three", name_key="teacher three")
        session.add(other)
        await session.flush()
        session.add_all(
            [  # none of these is Monday 30 November's (odd week) lesson 1 of the whole group
                _lesson_one_on_mondays(school, other.id, subgroup="1"),
                _lesson_one_on_mondays(school, other.id, week_parity="even"),
                _lesson_one_on_mondays(
                    school, other.id, valid_from=dt.date(2026, 1, 5), valid_to=dt.date(2026, 6, 30)
                ),
                _lesson_one_on_mondays(school, other.id, weekday=2),
            ]
        )
    await _substitute_on_monday(sessionmaker, school)

    await queue_change_notices(sessionmaker, settings, _at(FRIDAY, settings))

    sent = await _outbox(sessionmaker)
    assert sorted(sent) == [101, 201, 202]  # Teacher Three has no account: only the names tell
    assert "Teacher One → Teacher Two" in sent[202].text


async def test_a_change_to_a_slot_without_a_weekly_lesson_names_no_old_teacher(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    school = await _school(sessionmaker)
    async with sessionmaker.begin() as session:
        session.add(
            TimetableChange(
                date=MONDAY,
                group_id=_id(school.group),
                lesson_no=5,
                change_type="substitute",
                new_teacher_id=school.substitute.id,
            )
        )

    await queue_change_notices(sessionmaker, settings, _at(FRIDAY, settings))

    sent = await _outbox(sessionmaker)
    assert sorted(sent) == [101, 202]
    assert "— → Teacher Two" in sent[202].text
