"""The sender never stops for good: a database that fails is waited out, then delivery goes on."""

import asyncio
import logging
from dataclasses import replace
from pathlib import Path

import pytest
from telegram import Bot

from bot import migrate
from bot.db import create_engine, make_sessionmaker
from bot.sandbox import Sandbox
from jobs.outbox_sender import OutboxSender
from jobs.sender_supervisor import run_supervised
from models.outbox import enqueue
from tests.outbox.conftest import FAST, NOON, register_chats

CHAT = 640_001


async def test_a_sender_whose_database_fails_starts_again_and_delivers(
    sandbox: Sandbox, bot: Bot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    register_chats(sandbox, [CHAT])
    path = tmp_path / "not-yet" / "schoolbot.db"  # no folder: every query fails
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    sessionmaker = make_sessionmaker(engine)
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 3:  # the database comes back, with a message waiting
            path.parent.mkdir()
            await asyncio.to_thread(migrate.upgrade, url)  # Alembic runs its own loop
            async with sessionmaker.begin() as session:
                await enqueue(session, chat_id=CHAT, dedupe_key="after-outage", text="Back")

    def start() -> OutboxSender:
        return OutboxSender(bot, sessionmaker, replace(FAST), clock=NOON)

    with caplog.at_level(logging.ERROR, logger="jobs.sender_supervisor"):
        await run_supervised(
            start,
            keep_running=lambda: not sandbox.emulator.messages_for(CHAT),
            sleep=pause,
            first_pause=0.01,
        )
    await engine.dispose()
    assert [m.text for m in sandbox.emulator.messages_for(CHAT)] == ["Back"]
    assert pauses == [0.01, 0.02, 0.04]  # each failure waits longer
    assert len([r for r in caplog.records if "starts again" in r.getMessage()]) == 3
