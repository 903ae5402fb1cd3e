"""Retention: finished messages lose their files, then go; old audit rows go; nothing else."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.config import ConfigError, load_settings
from bot.db import SessionMaker
from jobs.retention import prune
from models.audit import AuditEntry
from models.outbox import OutboxMessage, Status
from models.retention import BATCH, RetentionPolicy

NOW = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
POLICY = RetentionPolicy(outbox_file_days=30, outbox_row_days=400, audit_days=365)


async def _message(
    sessionmaker: SessionMaker, key: str, *, status: str, days_old: int, file: bool = True
) -> None:
    async with sessionmaker.begin() as session:
        session.add(
            OutboxMessage(
                dedupe_key=key,
                chat_id=1,
                status=status,
                document=b"table" if file else None,
                photo=b"chart" if file else None,
                created_at=NOW - timedelta(days=days_old),
            )
        )


async def _outbox(sessionmaker: SessionMaker) -> dict[str, bool]:
    """Each message still stored, and whether it still has its file."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(col(OutboxMessage.dedupe_key), col(OutboxMessage.document))
        )
        return {key: document is not None for key, document in rows.all()}


async def test_finished_messages_lose_their_files_then_go(sessionmaker: SessionMaker) -> None:
    await _message(sessionmaker, "fresh", status=Status.SENT, days_old=2)
    await _message(sessionmaker, "month", status=Status.SENT, days_old=31)
    await _message(sessionmaker, "failed", status=Status.FAILED, days_old=60)
    await _message(sessionmaker, "old", status=Status.BLOCKED, days_old=401)
    removed = await prune(sessionmaker, POLICY, NOW)
    assert await _outbox(sessionmaker) == {"fresh": True, "month": False, "failed": False}
    assert removed == {"outbox files": 3, "outbox rows": 1, "audit rows": 0}


async def test_messages_not_yet_delivered_are_never_touched(sessionmaker: SessionMaker) -> None:
    await _message(sessionmaker, "waiting", status=Status.PENDING, days_old=500)
    await _message(sessionmaker, "in flight", status=Status.SENDING, days_old=500)
    await prune(sessionmaker, POLICY, NOW)
    assert await _outbox(sessionmaker) == {"waiting": True, "in flight": True}


async def test_audit_rows_go_after_their_keeping_time_in_batches(
    sessionmaker: SessionMaker,
) -> None:
    async with sessionmaker.begin() as session:
        session.add_all(
            AuditEntry(action="view", at=NOW - timedelta(days=366)) for _ in range(BATCH + 5)
        )
        session.add(AuditEntry(action="kept", at=NOW - timedelta(days=364)))
    removed = await prune(sessionmaker, POLICY, NOW)
    async with sessionmaker() as session:
        left = (await session.scalars(select(col(AuditEntry.action)))).all()
    assert left == ["kept"] and removed["audit rows"] == BATCH + 5


def test_files_cannot_be_kept_longer_than_their_messages() -> None:
    with pytest.raises(ConfigError, match="OUTBOX_DELETE_DAYS"):
        load_settings(outbox_keep_days=60, outbox_delete_days=30, _env_file=None)
