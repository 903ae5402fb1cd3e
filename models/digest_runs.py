"""Which months' digests have been sent: a claimed row per month makes the job run once."""

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from models.types import UTCDateTime, utcnow


class DigestRun(SQLModel, table=True):
    __tablename__ = "digest_run"

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(unique=True, max_length=7)  # "2026-10"
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


async def claim_month(session: AsyncSession, *, month: str) -> bool:
    """Claim a month's digest run; False if another run (or process) already has it."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(DigestRun).values(month=month, started_at=utcnow()).on_conflict_do_nothing()
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return int(result.rowcount) == 1


async def get_digest_run(session: AsyncSession, *, month: str) -> DigestRun | None:
    """The run that claimed a month's digest, if one did."""
    return await session.scalar(select(DigestRun).where(col(DigestRun.month) == month))
