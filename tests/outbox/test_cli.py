"""`schoolbot announce`: counts the audience, queues one row per person, refuses bad input."""

import asyncio

import pytest
from sqlmodel import select
from typer.testing import CliRunner, Result

from bot.cli.main import app
from bot.db import SessionMaker
from models.announcements import Announcement
from models.outbox import OutboxMessage
from tests.builders import add_group, add_student

runner = CliRunner()


@pytest.fixture
async def school(
    sessionmaker: SessionMaker, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    async with sessionmaker.begin() as session:
        am21 = await add_group(session, code="AM-21")
        ks21 = await add_group(session, code="KS-21")
        for chat in (101, 102):
            await add_student(session, group=am21, telegram_id=chat)
        await add_student(session, group=ks21, telegram_id=201)


async def _announce(*args: str) -> Result:
    """Run the command as a user would (in a thread: it runs its own event loop)."""
    return await asyncio.to_thread(runner.invoke, app, ["announce", *args])


async def _queued(sessionmaker: SessionMaker) -> tuple[list[int], list[str]]:
    async with sessionmaker() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by("chat_id"))).all()
        batches = (await session.scalars(select(Announcement))).all()
    return [row.chat_id for row in rows], [batch.audience for batch in batches]


async def test_dry_run_counts_and_queues_nothing(school: None, sessionmaker: SessionMaker) -> None:
    result = await _announce("--to", "group:AM-21", "--text", "Hi", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 people would receive it" in result.output
    assert await _queued(sessionmaker) == ([], [])


async def test_announce_queues_one_row_per_recipient(
    school: None, sessionmaker: SessionMaker
) -> None:
    result = await _announce("--to", "group:AM-21,KS-21", "--text", "<b>No lessons</b> on Friday")
    assert result.exit_code == 0, result.output
    assert "queued for 3 people" in result.output
    assert await _queued(sessionmaker) == ([101, 102, 201], ["group:AM-21,KS-21"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "group:ZZ-1", "--text", "Hi"], "No group ZZ-1"),
        (["--to", "all", "--text", "<b>unclosed"], "formatting is broken"),
        (["--to", "all", "--text", "   "], "has no text"),
        (["--to", "all", "--text", "x" * 4097], "limit is 4096"),
    ],
)
async def test_bad_input_is_refused_with_the_reason(
    school: None, sessionmaker: SessionMaker, args: list[str], message: str
) -> None:
    result = await _announce(*args)
    assert result.exit_code == 1
    assert message in result.output
    assert await _queued(sessionmaker) == ([], [])


async def test_at_schedules_the_rows_and_ack_adds_the_read_button(
    school: None, sessionmaker: SessionMaker
) -> None:
    result = await _announce("--to", "group:AM-21", "--text", "Meeting", "--at", "23:59", "--ack")
    assert result.exit_code == 0, result.output
    async with sessionmaker() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    assert len(rows) == 2
    assert all(
        row.next_attempt_at is not None and row.button_data.startswith("ack:") for row in rows
    )


async def test_a_bad_send_time_is_refused(school: None, sessionmaker: SessionMaker) -> None:
    result = await _announce("--to", "group:AM-21", "--text", "Hi", "--at", "yesterday")
    assert result.exit_code == 2 and "Write the send time" in result.output
    assert await _queued(sessionmaker) == ([], [])
