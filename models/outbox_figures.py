"""What the outbox holds: rows by status and in doubt, the oldest due row, the next retry, keys."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from models.outbox import OutboxMessage, Status, due

_KEYS_PER_QUERY = 500  # bound parameters per query stay far below every driver's limit


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


IN_DOUBT = "in_doubt"  # not a status: rows of any status that may have been sent twice


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """Count all rows by status, and under "in_doubt" those that may have arrived twice."""
    rows = await session.execute(
        select(col(OutboxMessage.status), func.count()).group_by(col(OutboxMessage.status))
    )
    counts = {str(status): int(count) for status, count in rows.all()}
    doubtful = select(func.count()).where(col(OutboxMessage.in_doubt).is_(True))
    counts[IN_DOUBT] = int(await session.scalar(doubtful) or 0)
    return counts


async def oldest_due_since(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When the longest-waiting message a sender may claim now was queued (None: none).

    Rows left `sending` by a sender that died count too once their lease is over.
    """
    return await session.scalar(select(func.min(col(OutboxMessage.created_at))).where(due(now)))


async def list_queued_keys(session: AsyncSession, *, keys: Sequence[str]) -> set[str]:
    """Return which of these outbox keys are already queued (a few reads, however many)."""
    found: set[str] = set()
    for first in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[first : first + _KEYS_PER_QUERY]
        found.update(
            await session.scalars(
                select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(chunk))
            )
        )
    return found
