"""Short leases kept alive by a heartbeat: a live sender keeps its rows, a dead one's are taken."""

import asyncio

import pytest
from sqlmodel import select

from bot.db import SessionMaker
from bot.sandbox import Sandbox
from models.outbox import OutboxMessage, Status
from models.outbox_claims import claim_next
from tests.outbox.conftest import NOON, SenderFactory, announce_to_students, register_chats

AUTHOR = 9_200_001


async def _announce_to(sessionmaker: SessionMaker, count: int) -> list[int]:
    _batch, chats = await announce_to_students(
        sessionmaker, count, author=AUTHOR, text="Exams start on Monday."
    )
    return chats


async def _rows(sessionmaker: SessionMaker) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(OutboxMessage).order_by("id"))).all())


async def test_a_live_sender_keeps_its_rows_past_the_first_lease(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    [chat] = await _announce_to(sessionmaker, 1)
    register_chats(sandbox, [chat, AUTHOR])
    sandbox.emulator.faults.delay = 1.0  # the request outlives the lease several times over
    sandbox.emulator.faults.methods = frozenset({"sendmessage"})
    live = make_sender(lease_seconds=0.2, renew_every=0.05)
    running = asyncio.create_task(live.drain())
    while [r.status for r in await _rows(sessionmaker)] != [Status.SENDING]:  # noqa: ASYNC110  # polled
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.5)  # without its heartbeat the lease would have ended

    await make_sender(lease_seconds=0.2, renew_every=0.05).drain()  # another sender looks
    await running

    assert sandbox.emulator.delivered(chat) == 1
    [row] = await _rows(sessionmaker)
    assert (row.status, row.in_doubt) == (Status.SENT, False)


async def test_a_dead_senders_row_is_sent_by_another_and_marked_in_doubt(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    chats = await _announce_to(sessionmaker, 3)
    register_chats(sandbox, [*chats, AUTHOR])
    now = NOON()
    async with sessionmaker.begin() as session:  # a sender claims one row, then dies: no renewal
        dead = await claim_next(session, token="dead", now=now, lease_until=now, urgent_only=False)
    assert dead is not None

    await make_sender().drain()

    assert [sandbox.emulator.delivered(chat) for chat in chats] == [1, 1, 1]
    rows = await _rows(sessionmaker)
    assert [(row.status, row.in_doubt) for row in rows] == [
        (Status.SENT, row.id == dead.id) for row in rows
    ]
    report = sandbox.emulator.messages_for(AUTHOR)[-1].text or ""
    assert "Sent: 3 of 3" in report and "In doubt (may have arrived twice): 1" in report


async def test_a_claim_whose_answer_was_lost_is_given_back_not_in_doubt(
    sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    await _announce_to(sessionmaker, 1)
    sender = make_sender()
    now = NOON()
    async with sessionmaker.begin() as session:  # claimed under the sender's token, never sent
        await claim_next(
            session,
            token=sender.token,
            now=now,
            lease_until=sender.leases.lease_until(),
            urgent_only=False,
        )

    await sender.leases.sweep()

    [row] = await _rows(sessionmaker)
    assert (row.status, row.claim_token, row.in_doubt) == (Status.PENDING, "", False)


async def test_a_send_without_an_answer_is_sent_again_in_doubt(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    [chat] = await _announce_to(sessionmaker, 1)
    register_chats(sandbox, [chat, AUTHOR])
    faults = sandbox.emulator.faults
    faults.delay, faults.methods = 1.0, frozenset({"sendmessage"})  # longer than the timeout
    sender = make_sender(send_timeout=0.2, max_attempts=5)
    running = asyncio.create_task(sender.drain())
    while not any(r.attempts for r in await _rows(sessionmaker)):  # noqa: ASYNC110  # polled
        await asyncio.sleep(0.02)
    faults.delay = 0.0
    await running

    [row] = await _rows(sessionmaker)
    assert (row.status, row.in_doubt) == (Status.SENT, True)
    assert sandbox.emulator.delivered(chat) >= 1


async def test_two_claims_at_once_on_postgresql_take_different_rows(
    database_url: str, sessionmaker: SessionMaker
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: the second claim waits for the first")
    await _announce_to(sessionmaker, 2)
    now = NOON()
    async with sessionmaker.begin() as first, sessionmaker.begin() as second:
        mine = await claim_next(first, token="a", now=now, lease_until=now, urgent_only=False)
        async with asyncio.timeout(10):  # a lock wait would hang here: SKIP LOCKED passes it
            theirs = await claim_next(
                second, token="b", now=now, lease_until=now, urgent_only=False
            )
    assert mine is not None and theirs is not None
    assert mine.id != theirs.id
