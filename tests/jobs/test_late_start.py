"""Jobs still run when the bot takes a while to start (a large school, a slow network)."""

import asyncio

import pytest

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.outbox import enqueue
from tests.fake_telegram import RecordingRequest

CHAT = 4242


@pytest.mark.db
async def test_the_outbox_sender_starts_after_a_slow_start(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    async with sessionmaker.begin() as session:
        await enqueue(session, chat_id=CHAT, dedupe_key="late-start:1", text="hello", urgent=True)
    await asyncio.sleep(1.5)  # start-up work between building the bot and starting its jobs

    await app.start()
    try:
        for _ in range(200):  # the sender polls the outbox about once a second
            if telegram.texts(CHAT):
                break
            await asyncio.sleep(0.05)
    finally:
        await app.stop()

    assert telegram.texts(CHAT) == ["hello"]
