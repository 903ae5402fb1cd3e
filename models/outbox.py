"""The durable outbox: every bulk message is a row that goes pending -> sending -> sent."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Index, LargeBinary, Text, and_, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from models.accounts import TelegramAccount
from models.types import TelegramId, UTCDateTime, utcnow


class Status(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender, the request may be in flight
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"


FINAL = (Status.SENT, Status.FAILED, Status.BLOCKED)


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_chat", "status", "chat_id"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, max_length=200)
    chat_id: int = Field(sa_type=TelegramId, index=True)
    batch_id: int | None = Field(default=None, foreign_key="announcement.id", index=True)
    text: str = Field(default="", sa_type=Text)  # HTML
    document: bytes | None = Field(default=None, sa_type=LargeBinary)
    filename: str = Field(default="", max_length=200)
    photo: bytes | None = Field(default=None, sa_type=LargeBinary)
    caption: str = Field(default="", sa_type=Text)  # HTML
    protect: bool = False
    urgent: bool = False
    media_kind: str = Field(default="", max_length=16)  # "photo" or "document" sent by file_id
    media_file_id: str = Field(default="", max_length=200)
    button_text: str = Field(default="", max_length=64)  # one inline button under the message
    button_data: str = Field(default="", max_length=64)
    # Rendered when sent, from frozen figures: the part is told by the filename's suffix.
    digest_id: int | None = Field(default=None, foreign_key="digest_figures.id", index=True)
    status: str = Field(default=Status.PENDING, max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claim_token: str = Field(default="", max_length=32)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Taken over from a sender that died (or timed out) mid-request: it may have arrived twice.
    in_doubt: bool = False
    message_id: int | None = None
    error: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


@dataclass(frozen=True)
class Candidate:
    """A row that may be claimed now."""

    id: int
    chat_id: int
    urgent: bool


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    dedupe_key: str,
    text: str = "",
    document: bytes | None = None,
    filename: str = "",
    photo: bytes | None = None,
    caption: str = "",
    protect: bool = False,
    urgent: bool = False,
    batch_id: int | None = None,
    button: tuple[str, str] | None = None,
    media: tuple[str, str] | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Add one pending row in the caller's transaction; False (adds nothing) if the key exists."""
    if not dedupe_key or len(dedupe_key) > 200:
        raise ValueError("dedupe_key must be 1 to 200 characters")
    if not text and document is None and photo is None and media is None:
        raise ValueError("an outbox message needs a text, a document or a photo")
    if document is not None and photo is not None:
        raise ValueError("an outbox message carries a document or a photo, not both")
    if button and not 0 < len(button[1].encode()) <= 64:
        raise ValueError("button data must be 1 to 64 bytes")
    values = {
        "dedupe_key": dedupe_key,
        "chat_id": chat_id,
        "batch_id": batch_id,
        "text": text,
        "document": document,
        "filename": filename[:200] or ("file" if document is not None else ""),
        "photo": photo,
        "caption": caption,
        "protect": protect,
        "urgent": urgent,
        "media_kind": media[0] if media else "",
        "media_file_id": media[1] if media else "",
        "next_attempt_at": not_before,
        "button_text": button[0][:64] if button else "",
        "button_data": button[1] if button else "",
        "status": Status.PENDING,
        "attempts": 0,
        "claim_token": "",
        "in_doubt": False,
        "error": "",
        "created_at": utcnow(),
    }
    table = OutboxMessage.__table__  # type: ignore[attr-defined]  # SQLModel sets it
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    result = await session.execute(statement)
    return _rowcount(result) == 1


@dataclass(frozen=True)
class LaterPart:
    """A row made when sent from frozen figures: a message, or a file named by its suffix."""

    chat_id: int
    dedupe_key: str
    digest_id: int
    filename: str = ""


async def enqueue_later_parts(session: AsyncSession, parts: Sequence[LaterPart]) -> int:
    """Add many pending rows at once, keys already present skipped; return how many were added."""
    table = OutboxMessage.__table__  # type: ignore[attr-defined]  # SQLModel sets it
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(table.c.id)  # counts the rows added, on every driver
    )
    now, added = utcnow(), 0
    for start in range(0, len(parts), 500):  # the event loop runs between chunks
        rows = [
            {
                "dedupe_key": p.dedupe_key,
                "chat_id": p.chat_id,
                "digest_id": p.digest_id,
                "filename": p.filename,
                "protect": True,
                "status": Status.PENDING,
                "created_at": now,
            }
            for p in parts[start : start + 500]
        ]
        added += len((await session.execute(statement, rows)).all())
    return added


def _rowcount(result: object) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def due(now: datetime) -> ColumnElement[bool]:
    """Rows a sender may claim: pending and due, or sending with an expired lease."""
    return or_(
        and_(
            col(OutboxMessage.status) == Status.PENDING,
            or_(
                col(OutboxMessage.next_attempt_at).is_(None),
                col(OutboxMessage.next_attempt_at) <= now,
            ),
        ),
        and_(
            col(OutboxMessage.status) == Status.SENDING,
            col(OutboxMessage.lease_until) < now,
        ),
    )


async def list_candidates(
    session: AsyncSession, *, now: datetime, urgent_only: bool, limit: int
) -> Sequence[Candidate]:
    """Return due rows, urgent first, oldest first."""
    query = select(
        col(OutboxMessage.id), col(OutboxMessage.chat_id), col(OutboxMessage.urgent)
    ).where(due(now))
    if urgent_only:
        query = query.where(col(OutboxMessage.urgent).is_(True))
    query = query.order_by(col(OutboxMessage.urgent).desc(), col(OutboxMessage.id)).limit(limit)
    rows = await session.execute(query)
    return [Candidate(int(i or 0), int(chat), bool(urgent)) for i, chat, urgent in rows.all()]


async def _finish(session: AsyncSession, row_id: int, token: str, **values: object) -> bool:
    result = await session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == row_id)
        .where(col(OutboxMessage.claim_token) == token)
        .where(col(OutboxMessage.status) == Status.SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


async def mark_sent(
    session: AsyncSession, *, row_id: int, token: str, message_id: int, now: datetime
) -> bool:
    """Record a delivered message."""
    return await _finish(
        session, row_id, token, status=Status.SENT, message_id=message_id, sent_at=now, error=""
    )


async def mark_failed(session: AsyncSession, *, row_id: int, token: str, error: str) -> bool:
    """Record a message that will not be sent (a permanent error, or retries used up)."""
    return await _finish(session, row_id, token, status=Status.FAILED, error=error[:300])


async def release(
    session: AsyncSession,
    *,
    row_id: int,
    token: str,
    not_before: datetime,
    error: str = "",
    count_attempt: bool = False,
    in_doubt: bool = False,
) -> bool:
    """Put a claimed row back to pending, to be tried again from not_before on.

    `in_doubt`: the request may have been delivered (a read timeout), so a resend may repeat it.
    """
    doubt = {"in_doubt": True} if in_doubt else {}
    return await _finish(
        session,
        row_id,
        token,
        status=Status.PENDING,
        next_attempt_at=not_before,
        claim_token="",
        lease_until=None,
        error=error[:300],
        attempts=OutboxMessage.attempts + (1 if count_attempt else 0),
        **doubt,
    )


async def mark_blocked(
    session: AsyncSession, *, row_id: int, token: str, chat_id: int, error: str
) -> int:
    """Record a chat that refuses the bot: this row, the chat's other pending rows, the account."""
    await _finish(session, row_id, token, status=Status.BLOCKED, error=error[:300])
    return await block_chat(session, chat_id=chat_id, error=error)


async def block_chat(session: AsyncSession, *, chat_id: int, error: str) -> int:
    """Mark the account blocked and every waiting row to its chat as blocked; return the count."""
    await session.execute(
        update(TelegramAccount)
        .where(col(TelegramAccount.telegram_id) == chat_id)
        .values(blocked=True)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.chat_id) == chat_id, col(OutboxMessage.status) == Status.PENDING)
        .values(status=Status.BLOCKED, error=error[:300])
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def skip_blocked_accounts(session: AsyncSession) -> int:
    """Mark rows to chats whose account is known to block the bot, without sending them."""
    blocked = select(col(TelegramAccount.telegram_id)).where(col(TelegramAccount.blocked).is_(True))
    result = await session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.status) == Status.PENDING, col(OutboxMessage.chat_id).in_(blocked))
        .values(status=Status.BLOCKED, error="the account blocks the bot")
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)
