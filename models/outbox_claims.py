"""Claiming outbox rows: the next due row for a free chat, leases kept alive, lost claims undone.

A claim takes the oldest due row (urgent first) whose chat has no request in flight, in one
statement. On PostgreSQL the row is picked `FOR UPDATE SKIP LOCKED`, so two senders claiming at
the same moment take different rows instead of waiting on each other; SQLite has one writer at a
time and needs no lock. A row taken over from a sender whose lease ended (it stopped renewing:
it died, or lost its database) is marked in doubt: its request may already have been delivered.
"""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.outbox import OutboxMessage, Status, due


async def claim_next(
    session: AsyncSession,
    *,
    token: str,
    now: datetime,
    lease_until: datetime,
    urgent_only: bool,
    skip_chats: Collection[int] = (),
) -> OutboxMessage | None:
    """Take the next due row for this sender, leaving out `skip_chats`; return it, or None."""
    busy = select(col(OutboxMessage.chat_id)).where(
        col(OutboxMessage.status) == Status.SENDING, col(OutboxMessage.lease_until) >= now
    )
    pick = select(col(OutboxMessage.id)).where(due(now), col(OutboxMessage.chat_id).not_in(busy))
    if skip_chats:
        pick = pick.where(col(OutboxMessage.chat_id).not_in(list(skip_chats)))
    if urgent_only:
        pick = pick.where(col(OutboxMessage.urgent).is_(True))
    pick = (
        pick.order_by(col(OutboxMessage.urgent).desc(), col(OutboxMessage.id))
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite renders no lock
    )
    taken_over = col(OutboxMessage.status) == Status.SENDING  # the old value, read by SET
    result = await session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == pick.scalar_subquery(), due(now))
        .values(
            status=Status.SENDING,
            claim_token=token,
            lease_until=lease_until,
            in_doubt=or_(col(OutboxMessage.in_doubt), taken_over),
        )
        .returning(col(OutboxMessage.id))
        .execution_options(synchronize_session=False)
    )
    row_id = result.scalar_one_or_none()
    if row_id is None:
        return None
    return await session.get(OutboxMessage, row_id, populate_existing=True)


def _held_by(token: str) -> ColumnElement[bool]:
    mine = col(OutboxMessage.claim_token) == token
    return and_(mine, col(OutboxMessage.status) == Status.SENDING)


async def renew_leases(
    session: AsyncSession, *, token: str, row_ids: Collection[int], lease_until: datetime
) -> int:
    """Extend this sender's lease on the rows it is sending; return how many it still holds."""
    if not row_ids:
        return 0
    result = await session.execute(
        update(OutboxMessage)
        .where(_held_by(token), col(OutboxMessage.id).in_(list(row_ids)))
        .values(lease_until=lease_until)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def release_unsent(session: AsyncSession, *, token: str, keep: Collection[int]) -> int:
    """Give back rows claimed under this token but never sent (the claim's answer was lost).

    `keep` lists the rows this sender is sending or may have sent; every other row still
    `sending` under its token was claimed by a statement whose answer never came back.
    """
    query = update(OutboxMessage).where(_held_by(token))
    if keep:
        query = query.where(col(OutboxMessage.id).not_in(list(keep)))
    result = await session.execute(
        query.values(status=Status.PENDING, claim_token="", lease_until=None).execution_options(
            synchronize_session=False
        )
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
