"""Queries on Telegram accounts: find or register the sender, save preferences."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.accounts import TelegramAccount
from models.school import Student


async def get_account(session: AsyncSession, *, telegram_id: int) -> TelegramAccount | None:
    return await session.scalar(
        select(TelegramAccount).where(col(TelegramAccount.telegram_id) == telegram_id)
    )


async def register_account(
    session: AsyncSession, *, telegram_id: int, first_name: str, username: str
) -> TelegramAccount:
    """Return the sender's account, creating it on first contact and refreshing the names."""
    account = await get_account(session, telegram_id=telegram_id)
    if account is None:
        account = TelegramAccount(
            telegram_id=telegram_id, first_name=first_name[:100], username=username[:64]
        )
        session.add(account)
        await session.flush()
    elif (account.first_name, account.username) != (first_name[:100], username[:64]):
        account.first_name, account.username = first_name[:100], username[:64]
    if account.blocked:
        account.blocked = False  # they wrote to us, so they unblocked the bot
    return account


async def get_student_name_and_group(
    session: AsyncSession, *, student_id: int
) -> tuple[str, int] | None:
    """Return a student's full name and group id."""
    row = (
        await session.execute(
            select(col(Student.first_name), col(Student.last_name), col(Student.group_id)).where(
                col(Student.id) == student_id
            )
        )
    ).first()
    return (f"{row[0]} {row[1]}", row[2]) if row else None


async def languages_of(session: AsyncSession, chat_ids: Sequence[int]) -> dict[int, str | None]:
    """Return each chat's saved language (private chats are Telegram user ids)."""
    rows = await session.execute(
        select(col(TelegramAccount.telegram_id), col(TelegramAccount.language)).where(
            col(TelegramAccount.telegram_id).in_(list(chat_ids))
        )
    )
    return {int(chat_id): language for chat_id, language in rows.all()}
