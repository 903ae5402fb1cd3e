"""The operations port: /healthz says what is wrong, /metrics counts what the bot did."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from telegram import User

from bot.app import SchoolApplication
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.ops.server import start_ops_server
from models.outbox import OutboxMessage, Status
from models.outbox_figures import oldest_due_since
from tests.fake_telegram import text_update

STUDENT = User(501, "Student", is_bot=False, language_code="en")


@pytest.fixture
async def ops_url(app: SchoolApplication) -> AsyncIterator[str]:
    runner = await start_ops_server(app.bot_data, host="127.0.0.1", port=0)
    port = runner.addresses[0][1]  # port 0: the OS chose a free one
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.text()


async def _until(condition: object, seconds: float = 10.0) -> None:
    for _ in range(int(seconds * 20)):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not reached in time")


async def test_a_running_bot_is_healthy_and_counts_its_updates(
    app: SchoolApplication, ops_url: str
) -> None:
    await app.start()  # the job queue starts the outbox sender
    try:
        await app.update_queue.put(text_update(app.bot, "/help", STUDENT))
        await _until(lambda: app.bot_data.sender_task is not None)
        await _until(lambda: app.update_queue.empty())
        await asyncio.sleep(0.2)
        status, health = await _get(f"{ops_url}/healthz")
        _, metrics = await _get(f"{ops_url}/metrics")
    finally:
        await app.stop()
    assert status == 200, health
    assert '"healthy": true' in health and '"revision"' in health
    assert 'schoolbot_updates_total{kind="message",outcome="ok"} 1.0' in metrics
    assert 'schoolbot_answer_seconds_count{kind="message"} 1.0' in metrics


async def test_a_bot_whose_sender_is_not_running_is_unhealthy(
    app: SchoolApplication, ops_url: str
) -> None:
    status, health = await _get(f"{ops_url}/healthz")
    assert status == 503
    assert "the outbox sender is not running" in health


async def test_an_unreachable_database_is_named(app: SchoolApplication, ops_url: str) -> None:
    engine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app.bot_data.sessionmaker = make_sessionmaker(engine)
    status, health = await _get(f"{ops_url}/healthz")
    await engine.dispose()
    assert status == 503
    assert '"database"' in health and '"ok": false' in health


async def test_the_senders_lag_counts_rows_stranded_by_a_dead_sender(
    sessionmaker: SessionMaker,
) -> None:
    now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    async with sessionmaker.begin() as session:
        session.add_all(
            [
                OutboxMessage(  # waits for a retry later: not due, no lag
                    dedupe_key="later",
                    chat_id=1,
                    text="x",
                    created_at=now - timedelta(hours=2),
                    next_attempt_at=now + timedelta(minutes=5),
                ),
                OutboxMessage(  # claimed by a sender that died: its lease is over
                    dedupe_key="stranded",
                    chat_id=2,
                    text="x",
                    status=Status.SENDING,
                    created_at=now - timedelta(minutes=20),
                    lease_until=now - timedelta(minutes=1),
                ),
            ]
        )
    async with sessionmaker() as session:
        assert await oldest_due_since(session, now=now) == now - timedelta(minutes=20)
