"""The sender never stops for good: a failing database is waited out, a failed start is retried."""

import asyncio
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from telegram import Bot

from bot import migrate
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.sandbox import Sandbox
from jobs.outbox_sender import OutboxSender
from jobs.sender_supervisor import run_supervised
from models.outbox import enqueue
from tests.outbox.conftest import FAST, NOON, register_chats

CHAT = 640_001


async def test_a_sender_whose_database_fails_keeps_trying_and_delivers(
    sandbox: Sandbox, bot: Bot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    register_chats(sandbox, [CHAT])
    path = tmp_path / "not-yet" / "schoolbot.db"  # no folder: every query fails
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    sessionmaker = make_sessionmaker(engine)
    sender = OutboxSender(bot, sessionmaker, replace(FAST, idle_poll=0.01), clock=NOON)

    def faults() -> list[str]:
        return [r.getMessage() for r in caplog.records if "sending paused" in r.getMessage()]

    with caplog.at_level(logging.WARNING, logger="jobs.outbox_sender"):
        running = asyncio.create_task(sender.run_forever())
        while len(faults()) < 3:  # noqa: ASYNC110  # the log has no event to wait for
            await asyncio.sleep(0.01)
        path.parent.mkdir()  # the database comes back, with a message waiting
        await asyncio.to_thread(migrate.upgrade, url)  # Alembic runs its own loop
        async with sessionmaker.begin() as session:
            await enqueue(session, chat_id=CHAT, dedupe_key="after-outage", text="Back")
        await sandbox.emulator.wait_for_bot_message(CHAT, timeout=30)
        sender.stop()
        await running
    await engine.dispose()
    assert [m.text for m in sandbox.emulator.messages_for(CHAT)] == ["Back"]
    assert all("\n" not in line for line in faults())  # one line each, no traceback
    assert "trying again in" in faults()[0]


async def test_a_sender_that_fails_to_start_is_started_again(
    sandbox: Sandbox, bot: Bot, sessionmaker: SessionMaker, caplog: pytest.LogCaptureFixture
) -> None:
    register_chats(sandbox, [CHAT])
    async with sessionmaker.begin() as session:
        await enqueue(session, chat_id=CHAT, dedupe_key="one", text="Hello")
    pauses: list[float] = []
    starts: list[int] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    def start() -> OutboxSender:
        starts.append(1)
        if len(starts) <= 3:
            raise OSError("the database file is on a disk not yet mounted")
        return OutboxSender(bot, sessionmaker, replace(FAST), clock=NOON)

    with caplog.at_level(logging.ERROR, logger="jobs.sender_supervisor"):
        await run_supervised(
            start,
            keep_running=lambda: not sandbox.emulator.messages_for(CHAT),
            sleep=pause,
            first_pause=0.01,
        )
    assert [m.text for m in sandbox.emulator.messages_for(CHAT)] == ["Hello"]
    assert pauses == [0.01, 0.02, 0.04]  # each failure waits longer
    assert len([r for r in caplog.records if "starts again" in r.getMessage()]) == 3
