"""A small school for the timetable and consultation tests: two groups, two teachers."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import SQLModel

from bot.db import SessionMaker
from models.accounts import TelegramAccount
from models.consultations import ConsultationCancellation, ConsultationSlot
from models.school import Building, Room, Subject
from models.timetable import BellTime, Holiday, TimetableChange, TimetableEntry
from tests.builders import add_group, add_staff, add_student
from tests.fake_telegram import make_user

# Next week's Monday, so "upcoming" cancellations and the school year hold on any run date.
_TODAY = dt.datetime.now(ZoneInfo("Europe/Riga")).date()
MONDAY = _TODAY + dt.timedelta(days=7 - _TODAY.weekday())
TUESDAY = MONDAY + dt.timedelta(days=1)
YEAR_START, YEAR_END = MONDAY - dt.timedelta(days=90), MONDAY + dt.timedelta(days=200)
STUDENT = make_user(7101, first_name="Student", language_code="en")
TEACHER = make_user(7102, first_name="Teacher", language_code="lv")
VISITOR = make_user(7103, first_name="Visitor", language_code="ru")


def _id(row: SQLModel) -> int:
    ident = getattr(row, "id", None)
    assert isinstance(ident, int)
    return ident


@dataclass
class School:
    group: int
    other_group: int
    teacher: int


@pytest.fixture
async def school(sessionmaker: SessionMaker) -> School:
    async with sessionmaker.begin() as session:
        building = Building(code="STR16", name="Strādnieku iela 16")
        session.add(building)
        await session.flush()
        rooms = [Room(code=code, building_id=_id(building)) for code in ("STR16-101", "STR16-305")]
        maths = Subject(code="MAT", name_lv="Matemātika", name_key="matematika")
        latvian = Subject(code="LAT", name_lv="Latviešu valoda", name_key="latviesu valoda")
        session.add_all([*rooms, maths, latvian])
        group = await add_group(session, code="AM-21")
        other = await add_group(session, code="KS-21")
        teacher = await add_staff(session, code="T1", first_name="Jānis", last_name="Ozoliņš")
        substitute = await add_staff(session, code="T2", first_name="Anna", last_name="Bērziņa")
        student = await add_student(session, group=group, number="S1")
        await session.flush()
        session.add_all(
            [
                BellTime(lesson_no=1, start=dt.time(8, 30), end=dt.time(9, 10)),
                BellTime(lesson_no=2, start=dt.time(9, 10), end=dt.time(9, 50)),
                TelegramAccount(telegram_id=STUDENT.id, student_id=_id(student)),
                TelegramAccount(telegram_id=TEACHER.id, staff_id=_id(teacher)),
                Holiday(date_from=TUESDAY, date_to=TUESDAY, name="Skolas svētki"),
                TimetableChange(
                    date=MONDAY,
                    group_id=_id(group),
                    lesson_no=1,
                    change_type="substitute",
                    new_teacher_id=_id(substitute),
                ),
                TimetableChange(
                    date=MONDAY, group_id=_id(group), lesson_no=2, change_type="cancelled"
                ),
            ]
        )
        for weekday in range(1, 6):
            for lesson_no, subject in ((1, maths), (2, latvian)):
                session.add(
                    TimetableEntry(
                        group_id=_id(group),
                        weekday=weekday,
                        lesson_no=lesson_no,
                        subject_id=_id(subject),
                        teacher_id=_id(teacher),
                        room_id=_id(rooms[0]),
                        valid_from=YEAR_START,
                        valid_to=YEAR_END,
                    )
                )
        session.add(
            TimetableEntry(
                group_id=_id(other),
                weekday=1,
                lesson_no=1,
                subject_id=_id(latvian),
                teacher_id=_id(substitute),
                room_id=_id(rooms[1]),
                valid_from=YEAR_START,
                valid_to=YEAR_END,
            )
        )
        slots = [
            ConsultationSlot(
                staff_id=_id(teacher),
                weekday=weekday,
                start=dt.time(15, 0),
                end=dt.time(16, 0),
                room_id=_id(rooms[0]),
                valid_from=YEAR_START,
                valid_to=YEAR_END,
            )
            for weekday in range(1, 6)
        ]
        session.add_all(slots)
        session.add(
            ConsultationSlot(
                service_name="Izglītības psihologs",
                kind="psychologist",
                weekday=2,
                start=dt.time(12, 0),
                end=dt.time(15, 0),
                room_id=_id(rooms[1]),
                valid_from=YEAR_START,
                valid_to=YEAR_END,
                anonymous_allowed=True,
            )
        )
        await session.flush()
        session.add(ConsultationCancellation(slot_id=_id(slots[0]), date=MONDAY, reason="Kursi"))
    return School(_id(group), _id(other), _id(teacher))
