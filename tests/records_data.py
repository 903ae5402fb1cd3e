"""The records fixture (a plugin): a tutored group with absences, marks and a placement."""

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlmodel import SQLModel

from bot.config import Settings
from bot.db import SessionMaker
from models.accounts import TelegramAccount
from models.attendance import Absence
from models.attendance_queries import Month
from models.marks import Mark
from models.practice import Company, Placement
from models.school import Student, Subject
from models.timetable import TimetableEntry
from tests.builders import add_group, add_programme, add_speciality, add_staff, add_student
from tests.fake_telegram import make_user

STUDENT = make_user(8101, first_name="Student", language_code="en")
CLASSMATE = make_user(8102, first_name="Classmate", language_code="en")
OTHER = make_user(8103, first_name="Other", language_code="en")
TUTOR = make_user(8201, first_name="Tutor", language_code="en")
ADMIN = make_user(8301, first_name="Admin", language_code="en")
VISITOR = make_user(8401, first_name="Visitor", language_code="ru")


def _id(row: SQLModel) -> int:
    ident = getattr(row, "id", None)
    assert isinstance(ident, int)
    return ident


def _absence(student: Student, day: dt.date, lesson: int, status: str, subject: Subject) -> Absence:
    return Absence(
        student_id=_id(student), date=day, lesson_no=lesson, status=status, subject_id=_id(subject)
    )


def _mark(student: Student, subject: Subject, day: dt.date, score: int) -> Mark:
    return Mark(
        student_id=_id(student), subject_id=_id(subject), date=day, value=str(score), score=score
    )


@dataclass
class Records:
    month: Month
    student: int
    classmate: int
    other: int


@pytest.fixture
async def records(sessionmaker: SessionMaker, settings: Settings) -> Records:
    today = dt.datetime.now(settings.tz).date()
    month = Month.of(today)
    async with sessionmaker.begin() as session:
        programme = await add_programme(session)
        speciality = await add_speciality(session, programme=programme, code="AM")
        group = await add_group(session, code="AM-21", speciality=speciality)
        other_group = await add_group(session, code="KS-21")
        student = await add_student(
            session, group=group, number="S1", first_name="Anna", last_name="Kalniņa"
        )
        classmate = await add_student(
            session, group=group, number="S2", first_name="Jānis", last_name="Liepa"
        )
        other = await add_student(
            session, group=other_group, number="S3", first_name="Olga", last_name="Ivanova"
        )
        await add_staff(session, code="T1", tutor_of=(group,), roles=("teacher", "tutor"))
        await add_staff(
            session, code="A1", roles=("admin",), first_name="Admin", last_name="Person"
        )
        maths = Subject(code="MAT", name_lv="Matemātika", name_key="matematika")
        latvian = Subject(code="LAT", name_lv="Latviešu valoda", name_key="latviesu valoda")
        company = Company(
            name='SIA "Auto Welle"', name_key="sia auto welle", city="Daugavpils", specialities="AM"
        )
        session.add_all([maths, latvian, company])
        await session.flush()
        from sqlmodel import select

        from models.school import Staff  # the staff rows added above, for the accounts

        staff = {s.code: s for s in await session.scalars(select(Staff))}
        session.add_all(
            [
                TelegramAccount(telegram_id=STUDENT.id, student_id=_id(student)),
                TelegramAccount(telegram_id=CLASSMATE.id, student_id=_id(classmate)),
                TelegramAccount(telegram_id=OTHER.id, student_id=_id(other)),
                TelegramAccount(telegram_id=TUTOR.id, staff_id=_id(staff["T1"])),
                TelegramAccount(telegram_id=ADMIN.id, staff_id=_id(staff["A1"])),
                *(
                    TimetableEntry(
                        group_id=_id(group),
                        weekday=1,
                        lesson_no=n,
                        subject_id=_id(s),
                        valid_from=month.first - dt.timedelta(days=60),
                        valid_to=month.last + dt.timedelta(days=60),
                    )
                    for n, s in ((1, maths), (2, latvian))
                ),
                # This month: the student 3 unexcused, 1 excused, 1 pending; the classmate 1.
                _absence(student, month.first, 1, "unexcused", maths),
                _absence(student, month.first, 2, "unexcused", maths),
                _absence(student, month.last, 1, "unexcused", latvian),
                _absence(student, month.last, 2, "excused", latvian),
                _absence(student, month.last, 3, "pending", latvian),
                _absence(classmate, month.first, 1, "excused", maths),
                # Last month: 2 unexcused, on its last day.
                _absence(student, month.first - dt.timedelta(days=1), 1, "unexcused", maths),
                _absence(student, month.first - dt.timedelta(days=1), 2, "unexcused", maths),
                _absence(other, month.first, 1, "unexcused", maths),
                _mark(student, maths, month.first, 3),
                _mark(student, maths, month.last, 7),
                _mark(classmate, maths, month.first, 9),
                Placement(
                    student_id=_id(student),
                    company_id=_id(company),
                    kind="qualification",
                    address="Rīgas iela 1, Daugavpils",
                    start_date=today - dt.timedelta(days=10),
                    end_date=today + dt.timedelta(days=20),
                    company_supervisor="A supervisor",
                    agreement_no="TL-1",
                    diary_due=today - dt.timedelta(days=2),
                ),
            ]
        )
    return Records(month, _id(student), _id(classmate), _id(other))
