"""The database away for a minute mid-broadcast: the sender waits, then delivers every row once."""

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import pytest
from sqlalchemy import make_url
from sqlmodel import select
from telegram import Bot

from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.sandbox import Sandbox
from jobs.outbox_sender import OutboxSender
from models.announcements import Announcement
from models.outbox import OutboxMessage, Status
from tests.outbox.conftest import (
    FAST,
    NOON,
    announce_to_students,
    register_chats,
    total_delivered,
)
from tests.tcp_proxy import TcpProxy

AUTHOR = 9_100_001
RECIPIENTS = 300
OUTAGE = 60.0  # seconds every connection is refused, as the issue measured it


@pytest.fixture
async def proxied(database_url: str) -> AsyncIterator[tuple[TcpProxy, SessionMaker]]:
    """A sessionmaker that reaches the test's PostgreSQL database through a TcpProxy."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("the outage is played on PostgreSQL (a server behind a network)")
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    port = await proxy.start()
    engine = create_engine(url.set(host="127.0.0.1", port=port).render_as_string(False))
    yield proxy, make_sessionmaker(engine)
    await proxy.cut()
    await engine.dispose()


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():  # noqa: ASYNC110  # the emulator has no event to wait for
        await asyncio.sleep(0.05)


async def test_a_broadcast_survives_a_minute_without_its_database(
    sandbox: Sandbox,
    bot: Bot,
    sessionmaker: SessionMaker,
    proxied: tuple[TcpProxy, SessionMaker],
) -> None:
    proxy, through_proxy = proxied
    batch_id, chats = await announce_to_students(
        sessionmaker, RECIPIENTS, author=AUTHOR, text="The canteen is closed today."
    )
    register_chats(sandbox, [*chats, AUTHOR])
    sandbox.emulator.faults.delay = 0.02  # requests take a while, as Telegram's do
    config = replace(FAST, rate_per_second=60.0, renew_every=0.5)
    sender = OutboxSender(bot, through_proxy, config, clock=NOON)
    running = asyncio.create_task(sender.run_forever())
    await _until(lambda: total_delivered(sandbox, chats) >= RECIPIENTS // 3)
    await proxy.cut()  # every connection dropped mid-broadcast, new ones refused
    await asyncio.sleep(OUTAGE)
    stalled_at = total_delivered(sandbox, chats)
    await proxy.start()
    await _until(lambda: _finished(sandbox))
    sender.stop()
    await running

    assert stalled_at < RECIPIENTS  # the outage really came mid-broadcast
    assert [sandbox.emulator.delivered(chat) for chat in chats] == [1] * RECIPIENTS
    async with sessionmaker() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
        batch = await session.get(Announcement, batch_id)
    assert {row.status for row in rows} == {Status.SENT}
    assert not any(row.in_doubt for row in rows)  # one sender, never taken over
    assert batch is not None and batch.finished_at is not None
    report = sandbox.emulator.messages_for(AUTHOR)[-1].text or ""
    assert f"Sent: {RECIPIENTS} of {RECIPIENTS}" in report


def _finished(sandbox: Sandbox) -> bool:
    return any("is finished" in (m.text or "") for m in sandbox.emulator.messages_for(AUTHOR))
