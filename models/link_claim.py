"""Claiming a link code: the write itself checks that the code is still unused."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from models.accounts import LinkCode


async def claim_code(
    session: AsyncSession, *, code: LinkCode, telegram_id: int, now: datetime
) -> bool:
    """Mark the code used unless someone did first: updates run at once, and SQLite has no
    FOR UPDATE, so the check that the code is unused is made by the write itself."""
    claimed = await session.execute(
        update(LinkCode)
        .where(col(LinkCode.id) == code.id, col(LinkCode.used_at).is_(None))
        .values(used_at=now, used_by=telegram_id)
        .returning(col(LinkCode.id))
    )
    if claimed.first() is None:
        return False
    # The loaded row now says what the table says, without a second write at the flush.
    set_committed_value(code, "used_at", now)
    set_committed_value(code, "used_by", telegram_id)
    return True
