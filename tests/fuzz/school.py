"""A small school for the fuzzer: every role linked, one person of each who has left."""

import datetime as dt
from dataclasses import dataclass

from sqlmodel import SQLModel, select
from telegram import User

from bot.db import SessionMaker
from models.accounts import TelegramAccount
from models.attendance import Absence
from models.marks import Mark
from models.school import Staff, StudentStatus, Subject
from models.timetable import TimetableEntry
from tests.builders import add_group, add_programme, add_speciality, add_staff, add_student
from tests.fake_telegram import make_user


@dataclass(frozen=True)
class Cast:
    """The fuzzer's Telegram users (linked and not) and the row ids its buttons may name."""

    users: tuple[User, ...]
    admin: User
    ids: tuple[int, ...]


def _id(row: SQLModel) -> int:
    ident = getattr(row, "id", None)
    assert isinstance(ident, int)
    return ident


async def seed_school(sessionmaker: SessionMaker, *, today: dt.date) -> Cast:
    """Write two groups, their students, a tutor, an admin, records, and link the accounts."""
    async with sessionmaker.begin() as session:
        programme = await add_programme(session)
        speciality = await add_speciality(session, programme=programme, code="AM")
        group = await add_group(session, code="AM-21", speciality=speciality)
        other = await add_group(session, code="KS-21")
        students = [
            await add_student(
                session, group=group, number="S1", first_name="Anna", last_name="Kalniņa"
            ),
            await add_student(
                session, group=group, number="S2", first_name="Jānis", last_name="Liepa"
            ),
            await add_student(
                session, group=other, number="S3", first_name="Olga", last_name="Ivanova"
            ),
            await add_student(session, group=other, number="S4", status=StudentStatus.GRADUATED),
        ]
        await add_staff(session, code="T1", tutor_of=(group,), roles=("teacher", "tutor"))
        await add_staff(
            session, code="A1", roles=("admin",), first_name="Admin", last_name="Person"
        )
        await add_staff(
            session, code="T2", roles=("teacher",), last_name="Trešais", first_name="Skolotājs"
        )
        maths = Subject(code="MAT", name_lv="Matemātika", name_key="matematika")
        session.add(maths)
        await session.flush()
        staff = {s.code: s for s in await session.scalars(select(Staff))}
        staff["T2"].active = False
        first = today.replace(day=1)
        session.add_all(
            [
                *(
                    TimetableEntry(
                        group_id=_id(g),
                        weekday=day,
                        lesson_no=n,
                        subject_id=_id(maths),
                        teacher_id=_id(staff["T1"]),
                        valid_from=first - dt.timedelta(90),
                        valid_to=first + dt.timedelta(90),
                    )
                    for g in (group, other)
                    for day in range(1, 6)
                    for n in (1, 2)
                ),
                *(
                    Absence(
                        student_id=_id(s),
                        date=first,
                        lesson_no=n,
                        status=status,
                        subject_id=_id(maths),
                    )
                    for s in students
                    for n, status in ((1, "unexcused"), (2, "excused"))
                ),
                *(
                    Mark(student_id=_id(s), subject_id=_id(maths), date=first, value="7", score=7)
                    for s in students
                ),
            ]
        )
        links: list[tuple[User, TelegramAccount]] = []
        for number, student in enumerate(students):
            user = make_user(9100 + number, first_name=f"Student{number}", language_code="lv")
            links.append((user, TelegramAccount(telegram_id=user.id, student_id=_id(student))))
        for number, code in enumerate(("T1", "A1", "T2")):
            user = make_user(9200 + number, first_name=f"Staff{number}", language_code="ru")
            links.append((user, TelegramAccount(telegram_id=user.id, staff_id=_id(staff[code]))))
        session.add_all([account for _user, account in links])
    visitors = tuple(
        make_user(9300 + n, first_name="Visitor", language_code=code)
        for n, code in enumerate(("en", None, "de"))
    )
    users = tuple(user for user, _account in links) + visitors
    ids = tuple(sorted({_id(s) for s in students} | {_id(s) for s in staff.values()}))
    return Cast(users=users, admin=links[5][0], ids=ids)
