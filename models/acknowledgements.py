"""Read confirmations: who pressed "Read" under an announcement, and one reminder to the rest."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import UniqueConstraint, func, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from models.account_queries import languages_of
from models.accounts import TelegramAccount
from models.announcements import ROW_ID_MAX, Announcement, Translate, read_button
from models.i18n import N_
from models.outbox import OutboxMessage, Status, enqueue
from models.school import Staff, Student
from models.types import TelegramId, UTCDateTime, utcnow

REMINDER = N_("🔔 Reminder: please confirm you have read this.")


class AnnouncementRead(SQLModel, table=True):
    __tablename__ = "announcement_read"
    __table_args__ = (UniqueConstraint("batch_id", "telegram_id"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="announcement.id", index=True)
    telegram_id: int = Field(sa_type=TelegramId)
    read_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


@dataclass(frozen=True)
class ReadFigures:
    """How many of the people who received an announcement confirmed reading it."""

    delivered: int
    read: int

    @property
    def unread(self) -> int:
        return self.delivered - self.read


async def was_recipient(session: AsyncSession, *, batch_id: int, telegram_id: int) -> bool:
    """Tell whether this person was sent this announcement (a forged button is not)."""
    if not 0 < batch_id <= ROW_ID_MAX:
        return False
    found = await session.scalar(
        select(OutboxMessage.id).where(
            col(OutboxMessage.batch_id) == batch_id,
            col(OutboxMessage.chat_id) == telegram_id,
            col(OutboxMessage.status) == Status.SENT,
        )
    )
    return found is not None


async def record_read(session: AsyncSession, *, batch_id: int, telegram_id: int) -> bool:
    """Record a confirmation once; return False if this person had already confirmed."""
    values = {"batch_id": batch_id, "telegram_id": telegram_id, "read_at": utcnow()}
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(AnnouncementRead).values(**values).on_conflict_do_nothing()
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return int(result.rowcount) == 1


async def read_figures(session: AsyncSession, *, batch_id: int) -> ReadFigures:
    """Count deliveries and confirmations of one announcement."""
    delivered = await session.scalar(
        select(func.count()).where(
            col(OutboxMessage.batch_id) == batch_id, col(OutboxMessage.status) == Status.SENT
        )
    )
    read = await session.scalar(
        select(func.count()).where(col(AnnouncementRead.batch_id) == batch_id)
    )
    return ReadFigures(int(delivered or 0), int(read or 0))


async def queue_reminder(
    session: AsyncSession,
    *,
    batch: Announcement,
    default_language: str,
    now: datetime,
    translate: Translate,
) -> int | None:
    """Queue one reminder to everyone who received but has not confirmed; None if already done.

    `translate` renders the reminder's first line and the button in each recipient's language.
    """
    assert batch.id is not None
    claimed = await session.execute(
        update(Announcement)
        .where(col(Announcement.id) == batch.id, col(Announcement.reminded_at).is_(None))
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(claimed, CursorResult)
    if int(claimed.rowcount) != 1:
        return None
    confirmed = select(AnnouncementRead.telegram_id).where(
        col(AnnouncementRead.batch_id) == batch.id
    )
    unread = list(
        await session.scalars(
            select(OutboxMessage.chat_id).where(
                col(OutboxMessage.batch_id) == batch.id,
                col(OutboxMessage.status) == Status.SENT,
                col(OutboxMessage.chat_id).not_in(confirmed),
            )
        )
    )
    languages = await languages_of(session, unread)
    queued = 0
    for chat_id in unread:
        language = languages.get(chat_id) or default_language
        queued += await enqueue(
            session,
            chat_id=chat_id,
            dedupe_key=f"remind:{batch.id}:chat:{chat_id}",
            text=translate(language)(REMINDER) + "\n\n" + batch.text,
            button=read_button(translate, language, batch.id),
        )
    return queued


async def list_readers(session: AsyncSession, *, batch_id: int) -> tuple[list[str], list[str]]:
    """Return the names of recipients who confirmed, and of those who have not yet."""
    person = func.coalesce(
        Student.first_name + " " + Student.last_name,
        Staff.first_name + " " + Staff.last_name,
        TelegramAccount.first_name,
    )
    rows = await session.execute(
        select(person, col(AnnouncementRead.id).is_not(None))
        .select_from(OutboxMessage)
        .join(TelegramAccount, col(TelegramAccount.telegram_id) == col(OutboxMessage.chat_id))
        .outerjoin(Student, col(Student.id) == col(TelegramAccount.student_id))
        .outerjoin(Staff, col(Staff.id) == col(TelegramAccount.staff_id))
        .outerjoin(
            AnnouncementRead,
            (col(AnnouncementRead.batch_id) == batch_id)
            & (col(AnnouncementRead.telegram_id) == col(OutboxMessage.chat_id)),
        )
        .where(col(OutboxMessage.batch_id) == batch_id, col(OutboxMessage.status) == Status.SENT)
    )
    readers: list[str] = []
    others: list[str] = []
    for name, has_read in rows.all():
        (readers if has_read else others).append(str(name or "?"))
    return sorted(readers), sorted(others)
