"""The demo school (generated once per module) behind the real application."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlmodel import col, select
from telegram import User

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.demo import DemoPersona
from tests.application import application_over, settings_for_tests
from tests.fake_telegram import RecordingRequest, make_user


@pytest.fixture
async def demo_app(
    school_url: str, school: SessionMaker, telegram: RecordingRequest
) -> AsyncIterator[SchoolApplication]:
    """The real application over the demo school; a handler crash fails the test."""
    async with application_over(settings_for_tests(school_url), school, telegram) as application:
        yield application


@dataclass(frozen=True)
class Persona:
    """A demo persona as Telegram shows them, with the records they are linked to."""

    user: User
    student_id: int | None
    staff_id: int | None


async def persona(school: SessionMaker, key: str) -> Persona:
    """Load a demo persona by its key (chronic_absentee, tutor, workshop_teacher, ...)."""
    async with school() as session:
        row = (await session.scalars(select(DemoPersona).where(col(DemoPersona.key) == key))).one()
    user = make_user(row.telegram_id, first_name=key, language_code="en")
    return Persona(user, row.student_id, row.staff_id)
