"""What the outbox holds: rows by status, how long the oldest due row waits, the next retry."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, or_, select

from models.outbox import OutboxMessage, Status


async def next_retry_at(session: AsyncSession, *, urgent_only: bool) -> datetime | None:
    """Return when the earliest waiting row (pending later, or leased) becomes due."""
    pending = select(func.min(OutboxMessage.next_attempt_at)).where(
        col(OutboxMessage.status) == Status.PENDING
    )
    leased = select(func.min(OutboxMessage.lease_until)).where(
        col(OutboxMessage.status) == Status.SENDING
    )
    if urgent_only:
        pending = pending.where(col(OutboxMessage.urgent).is_(True))
        leased = leased.where(col(OutboxMessage.urgent).is_(True))
    times = [await session.scalar(pending), await session.scalar(leased)]
    known = [moment for moment in times if moment is not None]
    return min(known) if known else None


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """Count all rows by status."""
    rows = await session.execute(
        select(col(OutboxMessage.status), func.count()).group_by(col(OutboxMessage.status))
    )
    return {str(status): int(count) for status, count in rows.all()}


async def oldest_due_since(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When the longest-waiting message that is due now was queued (None: nothing is due)."""
    due = or_(
        col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now
    )
    return await session.scalar(
        select(func.min(col(OutboxMessage.created_at))).where(
            col(OutboxMessage.status) == Status.PENDING, due
        )
    )
