"""Queries on Telegram accounts: find or register the sender, save preferences."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select  # an entity and four columns
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.accounts import TelegramAccount
from models.import_stamp_queries import NEWEST_STAMP
from models.school import Staff, Student, StudentStatus
from models.types import utcnow


async def get_account(session: AsyncSession, *, telegram_id: int) -> TelegramAccount | None:
    return await session.scalar(
        select(TelegramAccount).where(col(TelegramAccount.telegram_id) == telegram_id)
    )


@dataclass(frozen=True)
class Registration:
    """The sender's account, their student record's name and group, and the data version.

    `active` is False when the account is linked to a student who is no longer studying (on
    leave, expelled, graduated) or to a staff member the school marked inactive.
    """

    account: TelegramAccount
    student_name: str = ""
    student_group_id: int | None = None
    data_version: int = 0
    active: bool = True


# Built once: every update runs it, and building a statement costs more than running this one.
_SENDER = (
    sa_select(
        TelegramAccount,
        col(Student.first_name),
        col(Student.last_name),
        col(Student.group_id),
        col(Student.status),
        col(Staff.active),
        NEWEST_STAMP,
    )
    .outerjoin(Student, col(Student.id) == col(TelegramAccount.student_id))
    .outerjoin(Staff, col(Staff.id) == col(TelegramAccount.staff_id))
    .where(col(TelegramAccount.telegram_id) == bindparam("telegram_id"))
)


async def register_account(
    session: AsyncSession,
    *,
    telegram_id: int,
    first_name: str,
    username: str,
    telegram_language: str | None = None,
) -> Registration:
    """Find (or on first contact create) the sender's account and refresh their names.

    One round trip for someone known: the account comes with the student's name and group and
    the data version. A first contact adds the account if nobody did meanwhile, then reads it.
    """
    seen = (telegram_language or "")[:8] or None  # for what is sent unasked (digests)
    row = (await session.execute(_SENDER, {"telegram_id": telegram_id})).first()
    if row is None:
        await _create_account(
            session,
            telegram_id=telegram_id,
            first_name=first_name[:100],
            username=username[:64],
            telegram_language=seen,
        )
        row = (await session.execute(_SENDER, {"telegram_id": telegram_id})).one()
    account, student_first, student_last, group_id, status, staff_active, version = row
    if (account.first_name, account.username) != (first_name[:100], username[:64]):
        account.first_name, account.username = first_name[:100], username[:64]
    if seen is not None and account.telegram_language != seen:
        account.telegram_language = seen
    if account.blocked:
        account.blocked = False  # they wrote to us, so they unblocked the bot
    name = f"{student_first} {student_last}" if group_id is not None else ""
    active = (account.student_id is None or status == StudentStatus.ACTIVE) and (
        account.staff_id is None or bool(staff_active)
    )
    return Registration(account, name, group_id, int(version), active)


async def _create_account(
    session: AsyncSession,
    *,
    telegram_id: int,
    first_name: str,
    username: str,
    telegram_language: str | None,
) -> None:
    """Add the account unless it exists: a first message handled twice at once (two processes,
    two updates) then finds one account, not a unique-key error."""
    table = TelegramAccount.__table__  # type: ignore[attr-defined]  # SQLModel sets it
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(table)
        .values(
            telegram_id=telegram_id,
            first_name=first_name,
            username=username,
            telegram_language=telegram_language,
            is_admin=False,
            blocked=False,
            notify_changes=True,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["telegram_id"])
    )


async def languages_of(session: AsyncSession, chat_ids: Sequence[int]) -> dict[int, str | None]:
    """Return each chat's saved language (private chats are Telegram user ids)."""
    rows = await session.execute(
        select(col(TelegramAccount.telegram_id), col(TelegramAccount.language)).where(
            col(TelegramAccount.telegram_id).in_(list(chat_ids))
        )
    )
    return {int(chat_id): language for chat_id, language in rows.all()}
