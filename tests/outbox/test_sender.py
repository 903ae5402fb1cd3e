"""The sender's rules: dedupe keys, quiet hours, retries, blocked chats, files."""

from datetime import time

import pytest
from sqlmodel import col, select
from telegram import Bot

from bot.db import SessionMaker
from bot.ops.metrics import Metrics
from bot.sandbox import Sandbox
from jobs.outbox_sender import OutboxSender
from jobs.sender_config import RIGA, in_quiet_hours
from models.accounts import TelegramAccount
from models.outbox import OutboxMessage, Status, enqueue
from models.outbox_figures import IN_DOUBT, count_by_status
from tests.builders import add_group, add_student
from tests.fake_telegram import RecordingRequest
from tests.outbox.conftest import FAST, NOON, SenderFactory, clock_at, register_chats

CHAT = 610_001


async def _rows(sessionmaker: SessionMaker) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(OutboxMessage).order_by("id"))).all())


def _sends(telegram: RecordingRequest) -> list[tuple[int | None, bool]]:
    """Return (chat, silent) for every sendMessage call."""
    return [
        (call.chat_id, str(call.params.get("disable_notification")).lower() == "true")
        for call in telegram.calls
        if call.method == "sendMessage"
    ]


async def test_the_same_dedupe_key_is_queued_once(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        first = await enqueue(session, chat_id=CHAT, dedupe_key="announce:1:chat:1", text="a")
        second = await enqueue(session, chat_id=CHAT, dedupe_key="announce:1:chat:1", text="b")
    async with sessionmaker.begin() as session:
        third = await enqueue(session, chat_id=CHAT, dedupe_key="announce:1:chat:1", text="c")
    assert (first, second, third) == (True, False, False)
    assert [row.text for row in await _rows(sessionmaker)] == ["a"]


async def test_enqueue_refuses_a_message_with_nothing_to_send(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        with pytest.raises(ValueError, match="needs a text"):
            await enqueue(session, chat_id=CHAT, dedupe_key="x")
        with pytest.raises(ValueError, match="dedupe_key"):
            await enqueue(session, chat_id=CHAT, dedupe_key="", text="hi")


@pytest.mark.parametrize(
    ("local", "quiet"),
    [(time(20, 59), False), (time(21, 0), True), (time(2, 0), True), (time(7, 30), False)],
)
def test_quiet_hours_run_past_midnight(local: time, quiet: bool) -> None:
    now = clock_at(local)()
    assert in_quiet_hours(now, start=time(21, 0), end=time(7, 30), tz=RIGA) is quiet


async def test_quiet_hours_hold_ordinary_rows_and_send_urgent_ones_silently(
    sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    async with sessionmaker.begin() as session:
        await enqueue(session, chat_id=CHAT, dedupe_key="digest", text="Monthly digest")
        await enqueue(
            session, chat_id=CHAT + 1, dedupe_key="change", text="Room changed", urgent=True
        )
    async with Bot("123456:TEST", request=telegram) as bot:
        await OutboxSender(bot, sessionmaker, FAST, clock=clock_at(time(23, 0))).drain()
        assert _sends(telegram) == [(CHAT + 1, True)]
        assert [row.status for row in await _rows(sessionmaker)] == [Status.PENDING, Status.SENT]

        await OutboxSender(bot, sessionmaker, FAST, clock=clock_at(time(8, 0))).drain()
        assert _sends(telegram) == [(CHAT + 1, True), (CHAT, False)]


async def test_server_errors_are_retried_until_the_message_goes_through(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    register_chats(sandbox, [CHAT])
    sandbox.emulator.faults.server_errors_next = 3
    async with sessionmaker.begin() as session:
        await enqueue(session, chat_id=CHAT, dedupe_key="k", text="Exam moved")
    await make_sender(max_attempts=5).drain()
    assert sandbox.emulator.delivered(CHAT) == 1
    [row] = await _rows(sessionmaker)
    assert (row.status, row.attempts) == (Status.SENT, 3)


async def test_retries_are_bounded_and_then_the_row_is_failed(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    register_chats(sandbox, [CHAT])
    sandbox.emulator.faults.server_errors_next = 10
    sandbox.emulator.faults.server_error_code = 502
    async with sessionmaker.begin() as session:
        await enqueue(session, chat_id=CHAT, dedupe_key="k", text="Exam moved")
    await make_sender(max_attempts=3).drain()
    assert sandbox.emulator.delivered(CHAT) == 0
    [row] = await _rows(sessionmaker)
    assert row.status == Status.FAILED
    assert "Bad Gateway" in row.error and "3 attempts" in row.error


async def test_a_chat_that_blocks_the_bot_is_recorded_and_not_written_to_again(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        await add_student(session, group=group, telegram_id=CHAT)
        for index in range(3):
            await enqueue(session, chat_id=CHAT, dedupe_key=f"k{index}", text=f"News {index}")
    register_chats(sandbox, [CHAT])
    sandbox.emulator.faults.block(CHAT)
    await make_sender().drain()
    async with sessionmaker() as session:
        account = (
            await session.scalars(
                select(TelegramAccount).where(col(TelegramAccount.telegram_id) == CHAT)
            )
        ).one()
        assert account.blocked
        assert await count_by_status(session) == {Status.BLOCKED: 3, IN_DOUBT: 0}
    # later rows to a known-blocked account are marked without a request
    sandbox.emulator.faults.unblock(CHAT)
    async with sessionmaker.begin() as session:
        await enqueue(session, chat_id=CHAT, dedupe_key="later", text="Later news")
    await make_sender().drain()
    assert sandbox.emulator.delivered(CHAT) == 0


async def test_a_document_is_sent_with_its_name_and_caption(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    register_chats(sandbox, [CHAT])
    async with sessionmaker.begin() as session:
        await enqueue(
            session,
            chat_id=CHAT,
            dedupe_key="digest:2026-10:group:7:tutor:3:xlsx",
            document=b"PK\x03\x04 not really a workbook",
            filename="AM-21_2026-10.xlsx",
            caption="<b>October</b> digest",
            protect=True,
        )
    await make_sender().drain()
    [message] = sandbox.emulator.messages_for(CHAT)
    assert message.document is not None
    assert message.document.file_name == "AM-21_2026-10.xlsx"
    assert message.caption == "October digest"
    assert message.protect_content


async def test_a_429_pauses_the_queue_and_the_row_is_sent_afterwards(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    register_chats(sandbox, [CHAT, CHAT + 1])
    sandbox.emulator.faults.flood(0.2)
    async with sessionmaker.begin() as session:
        await enqueue(session, chat_id=CHAT, dedupe_key="a", text="one")
        await enqueue(session, chat_id=CHAT + 1, dedupe_key="b", text="two")
    await make_sender().drain()
    assert [sandbox.emulator.delivered(CHAT), sandbox.emulator.delivered(CHAT + 1)] == [1, 1]
    rows = await _rows(sessionmaker)
    assert [row.attempts for row in rows] == [0, 0]  # a 429 is not a failed attempt


async def test_every_429_is_counted_for_the_metrics(
    sandbox: Sandbox, bot: Bot, sessionmaker: SessionMaker
) -> None:
    register_chats(sandbox, [CHAT])
    sandbox.emulator.faults.flood(1.0)  # long enough to meet the first send on a busy machine
    async with sessionmaker.begin() as session:
        await enqueue(session, chat_id=CHAT, dedupe_key="a", text="one")
    metrics = Metrics()
    sender = OutboxSender(
        bot, sessionmaker, FAST, clock=NOON, on_rate_limited=metrics.rate_limited.inc
    )
    await sender.drain()
    assert sandbox.emulator.delivered(CHAT) == 1
    assert (metrics.registry.get_sample_value("schoolbot_telegram_rate_limited_total") or 0) >= 1
