"""1,000 recipients through the emulator with 429s, 403s, 5xx and a restart: exactly once."""

import asyncio

from sqlmodel import col, select

from bot.db import SessionMaker
from bot.sandbox import Sandbox
from models.accounts import TelegramAccount
from models.announcements import Announcement, delivery_figures
from models.outbox import OutboxMessage, Status
from tests.outbox.conftest import (
    SenderFactory,
    announce_to_students,
    register_chats,
    total_delivered,
)

AUTHOR = 9_000_001


async def _announce_to(sessionmaker: SessionMaker, count: int) -> tuple[int, list[int]]:
    text = "<b>Lessons</b> end at 12:00 on Friday."
    return await announce_to_students(sessionmaker, count, author=AUTHOR, text=text)


async def _wait_until_delivered(sandbox: Sandbox, chats: list[int], count: int) -> None:
    while total_delivered(sandbox, chats) < count:  # noqa: ASYNC110  # the emulator has no event
        await asyncio.sleep(0.01)


async def test_every_reachable_recipient_gets_exactly_one_copy_across_a_restart(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    batch_id, chats = await _announce_to(sessionmaker, 1000)
    blocked, unknown = set(chats[::20]), set(chats[7::100])  # 50 block the bot, 10 never met it
    reachable = [chat for chat in chats if chat not in blocked | unknown]
    register_chats(sandbox, [chat for chat in chats if chat not in unknown] + [AUTHOR])
    faults = sandbox.emulator.faults
    for chat in blocked:
        faults.block(chat)
    faults.server_error_fraction = 0.03
    faults.methods = frozenset({"sendmessage"})

    first = make_sender(max_attempts=20)
    running = asyncio.create_task(first.run_forever())
    await _wait_until_delivered(sandbox, chats, 200)
    faults.flood(0.5)  # a 429 for every chat: the whole queue pauses
    await _wait_until_delivered(sandbox, chats, 450)
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    assert total_delivered(sandbox, chats) < len(reachable)  # really stopped in the middle

    await make_sender(max_attempts=20).drain()

    copies = {chat: sandbox.emulator.delivered(chat) for chat in chats}
    assert {chat for chat, n in copies.items() if n != 1} == blocked | unknown
    assert all(copies[chat] == 0 for chat in blocked | unknown)
    assert all(len(sandbox.emulator.messages_for(chat)) == 1 for chat in reachable)
    async with sessionmaker() as session:
        statuses = dict(
            (await session.execute(select(OutboxMessage.chat_id, OutboxMessage.status))).all()
        )
        flagged = set(
            (
                await session.scalars(
                    select(TelegramAccount.telegram_id).where(col(TelegramAccount.blocked))
                )
            ).all()
        )
        figures = await delivery_figures(session, batch_id=batch_id)
        batch = await session.get(Announcement, batch_id)
    assert {chat for chat, status in statuses.items() if status == Status.BLOCKED} == blocked
    assert {chat for chat, status in statuses.items() if status == Status.FAILED} == unknown
    assert flagged == blocked
    assert (figures.sent, figures.blocked, figures.failed, figures.pending) == (940, 50, 10, 0)
    assert batch is not None and batch.finished_at is not None
    assert (batch.total, batch.sent, batch.failed, batch.blocked) == (1000, 940, 10, 50)
    report = sandbox.emulator.messages_for(AUTHOR)[-1].text or ""
    assert "Sent: 940 of 1000" in report
    assert "Failed: 10" in report and "Blocked the bot: 50" in report


async def test_two_senders_at_once_never_send_the_same_row(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    _batch_id, chats = await _announce_to(sessionmaker, 300)
    register_chats(sandbox, [*chats, AUTHOR])

    await asyncio.gather(make_sender().drain(), make_sender().drain())

    assert [sandbox.emulator.delivered(chat) for chat in chats] == [1] * 300
    reports = [m for m in sandbox.emulator.messages_for(AUTHOR) if "is finished" in (m.text or "")]
    assert len([m for m in reports if m.edit_date is None]) == 1  # one report sent
    assert len(reports) <= 2  # and at most the one progress message, edited into it


async def test_a_row_left_sending_by_a_crashed_sender_is_sent_after_its_lease(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    _batch_id, chats = await _announce_to(sessionmaker, 3)
    register_chats(sandbox, [*chats, AUTHOR])
    crashed = make_sender(lease_seconds=0.05)
    async with sessionmaker.begin() as session:
        row = (await session.scalars(select(OutboxMessage).limit(1))).one()
        lease_until = crashed.clock()
        row.status, row.claim_token, row.lease_until = Status.SENDING, "deadbeef", lease_until

    await make_sender().drain()

    assert [sandbox.emulator.delivered(chat) for chat in chats] == [1, 1, 1]
