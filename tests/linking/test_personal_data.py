"""The core's export and erasure of what the bot stores about one person."""

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.db import SessionMaker
from models.accounts import LinkAttempt, TelegramAccount
from models.outbox import OutboxMessage, Status, enqueue
from models.personal_data import collect_personal_data, erase_personal_data
from tests.builders import add_group, add_student

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ME, SOMEONE = 7501, 7502


async def stored_person(sessionmaker: SessionMaker) -> None:
    """A linked student with two link attempts, a message sent and one still waiting."""
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        student = await add_student(session, group=group, number="S1")
        session.add(TelegramAccount(telegram_id=ME, student_id=student.id, first_name="Me"))
        session.add(TelegramAccount(telegram_id=SOMEONE, first_name="Someone"))
        session.add(LinkAttempt(telegram_id=ME, at=NOW - timedelta(days=3), success=False))
        session.add(LinkAttempt(telegram_id=ME, at=NOW - timedelta(minutes=5), success=False))
        for key, chat in (("waiting", ME), ("sent", ME), ("other", SOMEONE)):
            await enqueue(session, chat_id=chat, dedupe_key=key, text=key)
        await session.flush()
        sent = await session.scalar(
            select(OutboxMessage).where(col(OutboxMessage.dedupe_key) == "sent")
        )
        assert sent is not None
        sent.status = Status.SENT


async def test_export_holds_the_account_record_and_attempts(sessionmaker: SessionMaker) -> None:
    await stored_person(sessionmaker)
    async with sessionmaker() as session:
        data = await collect_personal_data(session, telegram_id=ME, now=NOW)
    assert data["exported_at"] == NOW.isoformat()
    assert data["telegram_account"]["first_name"] == "Me"
    assert data["student"]["student_number"] == "S1" and data["group"] == "AM-21"
    assert len(data["link_attempts"]) == 2 and data["announcement_reads"] == []


async def test_erasure_unlinks_drops_waiting_messages_and_keeps_recent_attempts(
    sessionmaker: SessionMaker,
) -> None:
    await stored_person(sessionmaker)
    async with sessionmaker.begin() as session:
        erased = await erase_personal_data(
            session, telegram_id=ME, keep_attempts_since=NOW - timedelta(hours=2)
        )
    async with sessionmaker() as session:
        accounts = list(await session.scalars(select(TelegramAccount.telegram_id)))
        messages = list(await session.scalars(select(OutboxMessage.dedupe_key)))
        attempts = list(await session.scalars(select(LinkAttempt.at)))
    assert (erased.account_deleted, erased.pending_messages_deleted) == (True, 1)
    assert erased.old_attempts_deleted == 1
    assert accounts == [SOMEONE]
    assert sorted(messages) == ["other", "sent"]
    assert attempts == [NOW - timedelta(minutes=5)]
