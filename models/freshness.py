"""When the data behind an answer was last imported, for the "data as of" line."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.stamps import ImportStamp


async def data_as_of(session: AsyncSession, kinds: Iterable[str]) -> datetime | None:
    """Return the latest import time among these import kinds, or None if never imported."""
    latest = await session.scalar(
        select(func.max(ImportStamp.imported_at)).where(col(ImportStamp.kind).in_(list(kinds)))
    )
    return latest if isinstance(latest, datetime) else None
