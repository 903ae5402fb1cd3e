"""A guardian of two students on top of the records fixture: a minor and an adult."""

import datetime as dt
from dataclasses import dataclass

import pytest

from bot.db import SessionMaker
from models.school import Student
from tests.builders import add_guardian, row_id
from tests.fake_telegram import make_user
from tests.records_data import Records
from tests.records_data import records as records  # a fixture, shared

PARENT = make_user(8601, first_name="Parent", language_code="en")


@dataclass
class Family:
    minor: int  # Anna Kalniņa (AM-21), with absences, marks and a placement
    adult: int  # Olga Ivanova (KS-21), 18 or more
    stranger: int  # Jānis Liepa, Anna's classmate: no guardian of his here
    minor_guardianship: int
    adult_guardianship: int


@pytest.fixture
async def family(sessionmaker: SessionMaker, records: Records) -> Family:
    async with sessionmaker.begin() as session:
        minor = await session.get(Student, records.student)
        adult = await session.get(Student, records.other)
        assert minor is not None and adult is not None
        minor.birth_date = dt.date.today().replace(year=dt.date.today().year - 16, day=1)
        adult.birth_date = dt.date(2000, 5, 17)
        first = await add_guardian(session, student=minor, name="Parent", telegram_id=PARENT.id)
        second = await add_guardian(session, student=adult, name="Parent", telegram_id=PARENT.id)
    return Family(records.student, records.other, records.classmate, row_id(first), row_id(second))
