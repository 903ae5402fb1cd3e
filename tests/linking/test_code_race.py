"""One code used by two people at the same moment links only the first; the second hears so."""

import asyncio
from datetime import UTC, datetime

from sqlmodel import col, select

from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from models.accounts import TelegramAccount
from models.linking import LinkOutcome, LinkResult, issue_code, redeem
from tests.application import POLICY
from tests.builders import add_group, add_student
from tests.database_locks import StatementWatch

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _redeem(sessionmaker: SessionMaker, telegram_id: int, code: str) -> LinkResult:
    async with sessionmaker.begin() as session:
        return await redeem(session, telegram_id=telegram_id, text=code, now=NOW, policy=POLICY)


async def test_a_code_used_twice_at_once_links_the_first_and_tells_the_second(
    sessionmaker: SessionMaker, settings: Settings, database_url: str
) -> None:
    async with sessionmaker.begin() as session:
        student = await add_student(session, group=await add_group(session), number="S1")
        code = await issue_code(session, student_id=student.id, ttl_days=30, now=NOW, policy=POLICY)
    other_process = create_engine(database_url)
    reads = StatementWatch(other_process, verb="", table="link_code")
    async with sessionmaker.begin() as session:
        first = await redeem(session, telegram_id=81, text=code, now=NOW, policy=POLICY)
        second = asyncio.create_task(_redeem(make_sessionmaker(other_process), 82, code))
        # PostgreSQL holds the second at its FOR UPDATE read; SQLite lets it read the code
        # as unused, and holds it at its write.
        async with asyncio.timeout(20):  # a guard: a second that never reads hangs here
            await reads.reach(1 if database_url.startswith("postgresql") else 2)
    assert first.outcome is LinkOutcome.LINKED
    assert (await second).outcome is LinkOutcome.USED
    await other_process.dispose()
    async with sessionmaker() as session:
        linked = list(
            await session.scalars(
                select(col(TelegramAccount.telegram_id)).where(
                    col(TelegramAccount.student_id) == student.id
                )
            )
        )
    assert linked == [81]
