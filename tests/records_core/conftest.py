"""The demo school (generated once per module) behind the real application."""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest
from pydantic import SecretStr
from sqlmodel import col, select
from telegram import User

from bot.app import SchoolApplication, build_application
from bot.chat.context import Context
from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from models.access import AccessDenied
from models.demo import DemoPersona
from tests.demo_school.conftest import build_school_file
from tests.fake_telegram import RecordingRequest, make_user


@pytest.fixture(scope="module")
def school_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, _summary = build_school_file(tmp_path_factory.mktemp("records") / "school.db")
    yield url


@pytest.fixture
async def school(school_url: str) -> AsyncIterator[SessionMaker]:
    engine = create_engine(school_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def demo_app(
    school_url: str, school: SessionMaker, telegram: RecordingRequest
) -> AsyncIterator[SchoolApplication]:
    """The real application over the demo school; a handler crash fails the test."""
    settings = Settings(
        telegram_bot_token=SecretStr("123456:TEST"),
        database_url=school_url,
        admin_telegram_ids=[],
        _env_file=None,
    )
    application = build_application(
        settings, sessionmaker=school, request=telegram, get_updates_request=telegram
    )
    crashes: list[BaseException] = []

    async def _collect(update: object, context: Context) -> None:
        if context.error is not None and not isinstance(context.error, AccessDenied):
            crashes.append(context.error)

    application.add_error_handler(_collect)
    async with application:
        yield application
    if crashes:
        raise crashes[0]


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
