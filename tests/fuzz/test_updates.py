"""A few thousand hostile updates: none reaches the error handler, every reply is valid."""

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from bot.app import SchoolApplication, build_application
from bot.config import Settings
from bot.db import SessionMaker
from tests.fuzz.run import FileServingTelegram, run_fuzz
from tests.fuzz.school import seed_school
from tests.fuzz.updates import UpdateFuzzer

SEED = 20261204
# PostgreSQL answers each update several times slower than SQLite: fewer there, same seed.
UPDATES = {"sqlite": 3000, "postgresql": 1500}


@pytest.fixture
async def fuzz_app(
    settings: Settings, sessionmaker: SessionMaker
) -> AsyncIterator[tuple[SchoolApplication, FileServingTelegram]]:
    """The real application over the recording fake that also serves uploaded files."""
    telegram = FileServingTelegram()
    application = build_application(
        settings, sessionmaker=sessionmaker, request=telegram, get_updates_request=telegram
    )
    async with application:
        yield application, telegram


async def test_no_fuzzed_update_crashes_or_gets_a_reply_telegram_would_refuse(
    fuzz_app: tuple[SchoolApplication, FileServingTelegram],
    sessionmaker: SessionMaker,
    settings: Settings,
    database_url: str,
) -> None:
    application, telegram = fuzz_app
    cast = await seed_school(sessionmaker, today=dt.datetime.now(settings.tz).date())
    fuzzer = UpdateFuzzer(SEED, application.bot, cast, application.bot_data.registered)
    count = UPDATES[database_url.split(":", 1)[0].split("+", 1)[0]]
    result = await run_fuzz(application, telegram, fuzzer, count)
    assert result.updates == count
    assert result.errors == []
    assert result.bad_replies == []
