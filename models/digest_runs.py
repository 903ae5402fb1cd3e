"""Which months' digests are claimed, and each month's frozen figures, so each is sent once.

A run claims its month first (a short transaction); only the claimer computes. It then writes the
frozen figures and the outbox rows in one transaction: a claim without figures whose run died is
taken over once it is stale, and the figures' unique key lets only one set ever be written.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import LargeBinary, UniqueConstraint, and_, distinct, exists, func, update
from sqlalchemy import select as sa_select  # five counts: beyond sqlmodel's overloads
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from models.accounts import TelegramAccount
from models.attendance_queries import Month
from models.digest_queries import build_digests
from models.digest_record import decode_school, encode_group
from models.outbox import OutboxMessage, Status
from models.types import UTCDateTime, utcnow

STALE_CLAIM = timedelta(minutes=15)  # a claim this old without figures: its run died
SCHOOL = "school"  # the subject of the school overview's figures
SAVE_CHUNK = 100  # records written a statement at a time


class DigestRun(SQLModel, table=True):
    __tablename__ = "digest_run"

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(unique=True, max_length=7)  # "2026-10"
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DigestFigures(SQLModel, table=True):
    """A group's (or the school's) month as it was when the month was claimed."""

    __tablename__ = "digest_figures"
    __table_args__ = (UniqueConstraint("month", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7)  # found through the unique key
    subject: str = Field(max_length=32)  # "group:<id>" or "school"
    group_code: str = Field(default="", max_length=50)
    body: bytes = Field(sa_type=LargeBinary)  # compressed JSON with a format version

    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def group_subject(group_id: int) -> str:
    return f"group:{group_id}"


async def claim_month(session: AsyncSession, *, month: str, now: datetime) -> bool:
    """Claim a month's digest run; False if another run (or process) has it or finished it.

    A claim older than STALE_CLAIM whose figures were never written is taken over.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(DigestRun).values(month=month, started_at=now).on_conflict_do_nothing()
    if _rowcount(await session.execute(statement)) == 1:
        return True
    frozen = exists().where(col(DigestFigures.month) == month)
    takeover = (
        update(DigestRun)
        .where(and_(col(DigestRun.month) == month, col(DigestRun.started_at) < now - STALE_CLAIM))
        .where(~frozen)
        .values(started_at=now)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(await session.execute(takeover)) == 1


def _rowcount(result: object) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def get_digest_run(session: AsyncSession, *, month: str) -> DigestRun | None:
    """The run that claimed a month's digest, if one did."""
    return await session.scalar(select(DigestRun).where(col(DigestRun.month) == month))


async def list_digest_runs(session: AsyncSession, *, limit: int) -> Sequence[DigestRun]:
    """The newest months claimed, newest first."""
    query = select(DigestRun).order_by(col(DigestRun.month).desc()).limit(limit)
    return (await session.scalars(query)).all()


async def save_figures(
    session: AsyncSession, *, month: str, records: Sequence[tuple[str, str, bytes]]
) -> dict[str, int]:
    """Write a month's frozen figures, (subject, group code, body) each; ids by subject."""
    now = utcnow()
    rows = [
        {"month": month, "subject": s, "group_code": c, "body": b, "created_at": now}
        for s, c, b in records
    ]
    table = DigestFigures.__table__  # type: ignore[attr-defined]  # SQLModel sets it
    ids: dict[str, int] = {}
    for start in range(0, len(rows), SAVE_CHUNK):  # the event loop runs between chunks
        result = await session.execute(
            table.insert().returning(table.c.id, table.c.subject),
            rows[start : start + SAVE_CHUNK],
        )
        ids.update({str(subject): int(ident) for ident, subject in result.all()})
    return ids


async def list_figures(
    session: AsyncSession, *, month: str, subjects: Sequence[str] | None = None
) -> Sequence[DigestFigures]:
    """A month's frozen figures (of some subjects, or all), in group code order."""
    query = select(DigestFigures).where(col(DigestFigures.month) == month)
    if subjects is not None:
        query = query.where(col(DigestFigures.subject).in_(list(subjects)))
    return (await session.scalars(query.order_by(col(DigestFigures.group_code)))).all()


@dataclass(frozen=True)
class FiguresToRender:
    """What a sender needs to render one outbox row: the body and the recipient's languages."""

    subject: str
    body: bytes
    saved_language: str | None
    telegram_language: str | None


async def get_figures_to_render(
    session: AsyncSession, *, figures_id: int, chat_id: int
) -> FiguresToRender | None:
    """The frozen body a row refers to, with the languages its recipient's account holds."""
    figures = (
        await session.execute(
            select(col(DigestFigures.subject), col(DigestFigures.body)).where(
                col(DigestFigures.id) == figures_id
            )
        )
    ).first()
    if figures is None:
        return None
    languages = (
        await session.execute(
            select(col(TelegramAccount.language), col(TelegramAccount.telegram_language)).where(
                col(TelegramAccount.telegram_id) == chat_id
            )
        )
    ).first()
    saved, seen = languages if languages is not None else (None, None)
    return FiguresToRender(figures[0], figures[1], saved, seen)


async def digest_bodies(
    session: AsyncSession,
    *,
    month: Month,
    group_ids: list[int],
    failing_below: int,
    limit: int,
    language: str,
) -> list[tuple[str, bytes]]:
    """(group code, record) of the groups' digests: frozen if the month was, else as of now.

    What `/digest` and `digest preview` show is what was sent, or what would be sent now.
    """
    subjects = [group_subject(g) for g in group_ids]
    frozen = await list_figures(session, month=str(month), subjects=[*subjects, SCHOOL])
    if any(f.subject == SCHOOL for f in frozen):
        return [(f.group_code, f.body) for f in frozen if f.subject != SCHOOL]
    digests = await build_digests(
        session, month=month, failing_below=failing_below, group_ids=group_ids
    )
    return [(d.code, encode_group(d, limit=limit, language=language)) for d in digests]


@dataclass(frozen=True)
class DigestDelivery:
    """How a month's digests went out."""

    month: str
    tutors_reached: int  # tutors who got at least their message
    files_sent: int  # tables and charts delivered
    failed: int
    blocked: int
    waiting: int  # not yet sent (or in flight)
    not_linked: int  # tutors the digest could not reach: no linked account, or blocked


async def digest_delivery(session: AsyncSession, *, month: str) -> DigestDelivery:
    """Count a month's digest rows by outcome, and the tutors it could not reach."""
    status, sent = col(OutboxMessage.status), col(OutboxMessage.status) == Status.SENT
    to_tutor = col(DigestFigures.subject) != SCHOOL
    row = (
        await session.execute(
            sa_select(
                func.count(distinct(col(OutboxMessage.chat_id))).filter(sent, to_tutor),
                func.count().filter(sent, col(OutboxMessage.filename) != ""),
                func.count().filter(status == Status.FAILED),
                func.count().filter(status == Status.BLOCKED),
                func.count().filter(status.in_([Status.PENDING, Status.SENDING])),
            )
            .join(DigestFigures, col(DigestFigures.id) == col(OutboxMessage.digest_id))
            .where(col(DigestFigures.month) == month)
        )
    ).one()
    school = await session.scalar(
        select(col(DigestFigures.body)).where(
            col(DigestFigures.month) == month, col(DigestFigures.subject) == SCHOOL
        )
    )
    not_linked = len(decode_school(school).unlinked) if school is not None else 0
    reached, files, failed, blocked, waiting = (int(n) for n in row)
    return DigestDelivery(month, reached, files, failed, blocked, waiting, not_linked)
