"""Group chats and channels the admins allow the bot to stay in, for public answers only."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from models.types import TelegramId, UTCDateTime, utcnow

# Telegram's group and channel ids are negative and fit in 52 bits; user ids are positive.
SMALLEST_CHAT_ID = -(2**52)


class AllowedChat(SQLModel, table=True):
    __tablename__ = "allowed_chat"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=TelegramId, unique=True)
    title: str = Field(default="", max_length=255)
    allowed_by: int | None = Field(default=None, sa_type=TelegramId)
    allowed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def is_group_chat_id(chat_id: int) -> bool:
    """Tell whether a number can be a group's or a channel's id (never a person's)."""
    return SMALLEST_CHAT_ID <= chat_id < 0


async def is_chat_allowed(session: AsyncSession, *, chat_id: int) -> bool:
    found = await session.scalar(
        select(col(AllowedChat.id)).where(col(AllowedChat.chat_id) == chat_id)
    )
    return found is not None


async def list_allowed_chats(session: AsyncSession) -> Sequence[AllowedChat]:
    return (await session.scalars(select(AllowedChat).order_by(col(AllowedChat.allowed_at)))).all()


async def create_allowed_chat(
    session: AsyncSession, *, chat_id: int, title: str, allowed_by: int | None, now: datetime
) -> bool:
    """Put a chat on the allow-list; False when it was there already (its title is refreshed)."""
    known = await session.scalar(select(AllowedChat).where(col(AllowedChat.chat_id) == chat_id))
    if known is not None:
        if title:
            known.title = title[:255]
        return False
    session.add(
        AllowedChat(chat_id=chat_id, title=title[:255], allowed_by=allowed_by, allowed_at=now)
    )
    await session.flush()
    return True


async def delete_allowed_chat(session: AsyncSession, *, chat_id: int) -> bool:
    """Take a chat off the allow-list; False when it was not on it."""
    removed = await session.execute(
        delete(AllowedChat)
        .where(col(AllowedChat.chat_id) == chat_id)
        .returning(col(AllowedChat.id))
    )
    return removed.first() is not None
