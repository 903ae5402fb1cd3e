"""How long rows are kept: finished messages lose their files, then go; old audit rows go."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.audit import AuditEntry
from models.outbox import FINAL, OutboxMessage

BATCH = 2000  # rows a transaction: short write locks on SQLite, whatever the backlog


@dataclass(frozen=True)
class RetentionPolicy:
    """Days to keep: delivered messages' files, delivered messages, audit rows."""

    outbox_file_days: int
    outbox_row_days: int
    audit_days: int


async def drop_outbox_files(session: AsyncSession, *, before: datetime) -> int:
    """Empty the file bytes of up to BATCH finished messages created before `before`."""
    ids = (
        await session.scalars(
            select(col(OutboxMessage.id))
            .where(
                col(OutboxMessage.status).in_(FINAL),
                col(OutboxMessage.created_at) < before,
                or_(
                    col(OutboxMessage.document).is_not(None), col(OutboxMessage.photo).is_not(None)
                ),
            )
            .limit(BATCH)
        )
    ).all()
    if ids:
        await session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids))
            .values(document=None, photo=None)
        )
    return len(ids)


async def delete_outbox_rows(session: AsyncSession, *, before: datetime) -> int:
    """Delete up to BATCH finished messages created before `before`."""
    ids = (
        await session.scalars(
            select(col(OutboxMessage.id))
            .where(col(OutboxMessage.status).in_(FINAL), col(OutboxMessage.created_at) < before)
            .limit(BATCH)
        )
    ).all()
    if ids:
        await session.execute(delete(OutboxMessage).where(col(OutboxMessage.id).in_(ids)))
    return len(ids)


async def delete_audit_rows(session: AsyncSession, *, before: datetime) -> int:
    """Delete up to BATCH audit rows written before `before`."""
    ids = (
        await session.scalars(
            select(col(AuditEntry.id)).where(col(AuditEntry.at) < before).limit(BATCH)
        )
    ).all()
    if ids:
        await session.execute(delete(AuditEntry).where(col(AuditEntry.id).in_(ids)))
    return len(ids)


def cutoffs(policy: RetentionPolicy, now: datetime) -> dict[str, datetime]:
    """The moment before which each kind of row is pruned."""
    return {
        "outbox files": now - timedelta(days=policy.outbox_file_days),
        "outbox rows": now - timedelta(days=policy.outbox_row_days),
        "audit rows": now - timedelta(days=policy.audit_days),
    }
