"""A new person's first message handled by two processes at once: both answered, one account."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import SchoolApplication
from bot.config import Settings
from bot.db import create_engine, make_sessionmaker
from models.accounts import TelegramAccount
from tests.application import application_over
from tests.database_locks import StatementWatch, write_lock
from tests.fake_telegram import RecordingRequest, make_user, text_update

NEWCOMER = make_user(5601, first_name="Newcomer", language_code="en")


@dataclass
class Process:
    app: SchoolApplication
    telegram: RecordingRequest
    engine: AsyncEngine


@pytest.fixture
async def two_processes(settings: Settings, database_url: str) -> AsyncIterator[list[Process]]:
    """Two applications, each with an engine of its own, as two bot processes would have."""
    engines = [create_engine(database_url) for _ in range(2)]
    telegrams = [RecordingRequest() for _ in range(2)]
    async with (
        application_over(settings, make_sessionmaker(engines[0]), telegrams[0]) as first,
        application_over(settings, make_sessionmaker(engines[1]), telegrams[1]) as second,
    ):
        yield [Process(first, telegrams[0], engines[0]), Process(second, telegrams[1], engines[1])]
    for engine in engines:
        await engine.dispose()


async def test_a_first_message_handled_twice_at_once_makes_one_account(
    two_processes: list[Process], database_url: str
) -> None:
    inserts = StatementWatch(
        *(process.engine for process in two_processes), verb="INSERT", table="telegram_account"
    )
    async with write_lock(database_url, table="telegram_account"):
        handled = [
            asyncio.create_task(p.app.process_update(text_update(p.app.bot, "/start", NEWCOMER)))
            for p in two_processes
        ]
        await inserts.reach(2)  # both found no account and are creating it
    await asyncio.gather(*handled)
    for process in two_processes:
        assert process.telegram.texts(NEWCOMER.id)[0].startswith("Hello, Newcomer!")
        assert len(process.telegram.texts(NEWCOMER.id)) == 1
    async with make_sessionmaker(two_processes[0].engine)() as session:
        accounts = await session.scalar(select(func.count()).select_from(TelegramAccount))
    assert accounts == 1
