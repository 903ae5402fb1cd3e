"""When the school's data was last imported, kept in memory and checked once per update.

Every import writes a stamp row, so the newest stamp id is the data's version: registration
reads it with the sender's account (the same round trip), and only a new version costs a
query here. Answers then say "data as of ..." and reuse cached data without asking again.
"""

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select  # grouped columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.import_stamps import ImportStamp

NEWEST_STAMP = sa_select(func.coalesce(func.max(col(ImportStamp.id)), 0)).scalar_subquery()


@dataclass(frozen=True)
class ImportStamps:
    """The newest import of each kind: its stamp id and time."""

    version: int = 0  # the newest stamp id of any kind; 0 before the first import
    latest: Mapping[str, tuple[int, datetime]] = field(default_factory=dict)

    def as_of(self, kinds: Iterable[str]) -> datetime | None:
        """The newest import time among these kinds, or None if none was ever imported."""
        times = [self.latest[kind][1] for kind in kinds if kind in self.latest]
        return max(times) if times else None

    def version_of(self, kinds: Iterable[str]) -> int:
        """The newest stamp id among these kinds: it changes whenever one is imported."""
        return max((self.latest[kind][0] for kind in kinds if kind in self.latest), default=0)


async def newest_stamp_id(session: AsyncSession) -> int:
    return int(await session.scalar(sa_select(NEWEST_STAMP)) or 0)


async def load_stamps(session: AsyncSession) -> ImportStamps:
    """Read the newest stamp of every kind."""
    rows = await session.execute(
        sa_select(
            col(ImportStamp.kind), func.max(col(ImportStamp.id)), func.max(ImportStamp.imported_at)
        ).group_by(col(ImportStamp.kind))
    )
    latest = {kind: (ident or 0, when) for kind, ident, when in rows.all()}
    return ImportStamps(max((ident for ident, _ in latest.values()), default=0), latest)


class StampCache:
    """The stamps of the current data version, shared by every update."""

    def __init__(self) -> None:
        self._stamps = ImportStamps()
        self._lock = asyncio.Lock()

    async def current(self, session: AsyncSession, *, version: int) -> ImportStamps:
        """Return the stamps of this version, reading them only when the version is new."""
        if self._stamps.version != version:
            async with self._lock:
                if self._stamps.version != version:
                    self._stamps = await load_stamps(session)
        return self._stamps
