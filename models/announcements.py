"""Announcement batches: who sent what to whom, and how the delivery went."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, func, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from models.account_queries import languages_of
from models.audiences import Audience
from models.i18n import N_, Gettext
from models.outbox import OutboxMessage, Status, enqueue
from models.types import TelegramId, UTCDateTime, utcnow


class Announcement(SQLModel, table=True):
    """One bulk send (an announcement or a digest run); its messages are outbox rows."""

    __tablename__ = "announcement"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="announce", max_length=16, index=True)  # announce, digest, ...
    status: str = Field(default="queued", max_length=16, index=True)  # draft, queued, cancelled
    actor: str = Field(default="", max_length=100)  # "cli", "staff:3", "admin:<telegram id>"
    author_chat_id: int | None = Field(default=None, sa_type=TelegramId)
    author_language: str = Field(default="lv", max_length=2)
    text: str = Field(default="", sa_type=Text)
    audience: str = Field(default="", max_length=500)  # the spec as given, e.g. "group:AM-21"
    total: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    progress_message_id: int | None = None
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    requires_ack: bool = False  # recipients get a "Read" button; the author sees who pressed it
    media_kind: str = Field(default="", max_length=16)  # "photo" or "document", sent with the text
    media_file_id: str = Field(default="", max_length=200)
    send_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # None: at once
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent: int = 0  # filled in when the batch finishes; live figures come from the outbox
    failed: int = 0
    blocked: int = 0


ACK_DATA = "ack:{batch_id}"
READ_LABEL = N_("✅ I have read it")
ROW_ID_MAX = 2_147_483_647  # PostgreSQL's integer: a larger id from a button names no row

Translate = Callable[[str], Gettext]  # a language code -> `_` of that language, from the edge


def read_button(translate: Translate, language: str, batch_id: int) -> tuple[str, str]:
    """Return the label and callback data of the "Read" button, in the recipient's language."""
    return translate(language)(READ_LABEL), ACK_DATA.format(batch_id=batch_id)


@dataclass(frozen=True)
class DeliveryFigures:
    """How a batch's messages stand right now."""

    total: int
    sent: int
    failed: int
    blocked: int
    pending: int
    in_doubt: int = 0  # of any status: taken over from a sender that died mid-request

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.blocked

    @property
    def finished(self) -> bool:
        return self.pending == 0


async def create_batch(
    session: AsyncSession,
    *,
    kind: str = "announce",
    actor: str = "",
    text: str = "",
    audience: str = "",
    author_chat_id: int | None = None,
    author_language: str = "lv",
    status: str = "queued",
) -> Announcement:
    """Add a batch row (flushed, so it has an id) for outbox rows to point at."""
    batch = Announcement(
        kind=kind,
        status=status,
        actor=actor,
        text=text,
        audience=audience[:500],
        author_chat_id=author_chat_id,
        author_language=author_language,
    )
    session.add(batch)
    await session.flush()
    return batch


async def create_announcement(
    session: AsyncSession,
    *,
    audience: Audience,
    text: str,
    actor: str,
    author_chat_id: int | None = None,
    author_language: str = "lv",
    urgent: bool = False,
    requires_ack: bool = False,
    send_at: datetime | None = None,
    translate: Translate | None = None,
) -> Announcement:
    """Add the batch and one outbox row per recipient (exactly once per batch and chat).

    `translate` labels the "Read" button; it is needed when `requires_ack`.
    """
    batch = await create_batch(
        session,
        kind="announce",
        actor=actor,
        text=text,
        audience=audience.spec,
        author_chat_id=author_chat_id,
        author_language=author_language,
    )
    batch.requires_ack = requires_ack
    batch.send_at = send_at
    await queue_recipients(
        session, batch=batch, audience=audience, urgent=urgent, translate=translate
    )
    return batch


async def queue_recipients(
    session: AsyncSession,
    *,
    batch: Announcement,
    audience: Audience,
    urgent: bool = False,
    translate: Translate | None = None,
) -> int:
    """Put one outbox row per recipient (once per batch and chat); return how many were added."""
    assert batch.id is not None
    if batch.requires_ack and translate is None:
        raise ValueError("an announcement with a Read button needs `translate` for its label")
    labelled = translate if batch.requires_ack else None
    languages = await languages_of(session, audience.chat_ids) if labelled else {}
    added = 0
    for chat_id in audience.chat_ids:
        language = languages.get(chat_id) or batch.author_language
        added += await enqueue(
            session,
            chat_id=chat_id,
            dedupe_key=f"announce:{batch.id}:chat:{chat_id}",
            text=batch.text,
            urgent=urgent,
            batch_id=batch.id,
            button=read_button(labelled, language, batch.id) if labelled else None,
            media=(batch.media_kind, batch.media_file_id) if batch.media_file_id else None,
            not_before=batch.send_at,
        )
    batch.total += added
    await session.flush()
    return added


async def get_batch(session: AsyncSession, *, batch_id: int) -> Announcement | None:
    """Return a batch; None also for an id no row can have (a forged button's)."""
    if not 0 < batch_id <= ROW_ID_MAX:
        return None
    return await session.get(Announcement, batch_id)


async def confirm_draft(session: AsyncSession, *, batch_id: int) -> bool:
    """Turn a draft into a queued batch; False if it is no longer a draft (sent or cancelled)."""
    return await _move(session, batch_id, "draft", "queued")


async def cancel_draft(session: AsyncSession, *, batch_id: int) -> bool:
    """Cancel a draft; False if it is no longer a draft."""
    return await _move(session, batch_id, "draft", "cancelled")


async def _move(session: AsyncSession, batch_id: int, old: str, new: str) -> bool:
    result = await session.execute(
        update(Announcement)
        .where(col(Announcement.id) == batch_id)
        .where(col(Announcement.status) == old)
        .values(status=new)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount) == 1


async def delivery_figures(session: AsyncSession, *, batch_id: int) -> DeliveryFigures:
    """Count the batch's outbox rows by status."""
    rows = await session.execute(
        select(col(OutboxMessage.status), func.count())
        .where(col(OutboxMessage.batch_id) == batch_id)
        .group_by(col(OutboxMessage.status))
    )
    counts = {str(status): int(count) for status, count in rows.all()}
    sent = counts.get(Status.SENT, 0)
    failed = counts.get(Status.FAILED, 0)
    blocked = counts.get(Status.BLOCKED, 0)
    total = sum(counts.values())
    doubtful = await session.scalar(
        select(func.count()).where(
            col(OutboxMessage.batch_id) == batch_id, col(OutboxMessage.in_doubt).is_(True)
        )
    )
    pending = total - sent - failed - blocked
    return DeliveryFigures(total, sent, failed, blocked, pending, in_doubt=int(doubtful or 0))


async def list_recent_batches(session: AsyncSession, *, limit: int = 10) -> Sequence[Announcement]:
    """Return the newest sent (or sending) batches first."""
    result = await session.execute(
        select(Announcement)
        .where(col(Announcement.status) == "queued")
        .order_by(col(Announcement.id).desc())
        .limit(limit)
    )
    return result.scalars().all()


async def list_unfinished_batches(session: AsyncSession) -> Sequence[Announcement]:
    """Return the batches whose delivery has not been reported as finished."""
    result = await session.execute(
        select(Announcement)
        .where(col(Announcement.finished_at).is_(None))
        .where(col(Announcement.status) == "queued")
        .order_by(col(Announcement.id))
    )
    return result.scalars().all()


async def set_progress_message(session: AsyncSession, *, batch_id: int, message_id: int) -> bool:
    """Remember the author's progress message; False if another sender already has one."""
    result = await session.execute(
        update(Announcement)
        .where(col(Announcement.id) == batch_id)
        .where(col(Announcement.progress_message_id).is_(None))
        .values(progress_message_id=message_id)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount) == 1


async def finish_batch(
    session: AsyncSession, *, batch_id: int, figures: DeliveryFigures, now: datetime
) -> bool:
    """Mark the batch finished with its figures; False if another sender already did."""
    result = await session.execute(
        update(Announcement)
        .where(col(Announcement.id) == batch_id)
        .where(col(Announcement.finished_at).is_(None))
        .values(
            finished_at=now,
            total=figures.total,
            sent=figures.sent,
            failed=figures.failed,
            blocked=figures.blocked,
        )
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount) == 1
