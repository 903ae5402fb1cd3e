"""Who receives a month's digests: each group's tutors with their chats, and the admins."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select as sa_select  # five columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.access import ADMIN_ROLES
from models.accounts import TelegramAccount
from models.school import GroupTutor, Staff, StaffRoleAssignment


@dataclass(frozen=True)
class GroupTutorChat:
    """A tutor of a group, and their chat if their account is linked and not blocked."""

    group_id: int
    name: str
    chat_id: int | None


async def list_group_tutors(session: AsyncSession) -> Sequence[GroupTutorChat]:
    """Every group's tutors, each with the chat a digest reaches them in (or None)."""
    rows = await session.execute(
        sa_select(
            col(GroupTutor.group_id),
            col(Staff.first_name),
            col(Staff.last_name),
            col(TelegramAccount.telegram_id),
            col(TelegramAccount.blocked),
        )
        .join(Staff, col(Staff.id) == col(GroupTutor.staff_id))
        .outerjoin(TelegramAccount, col(TelegramAccount.staff_id) == col(Staff.id))
        .order_by(col(GroupTutor.group_id), col(Staff.last_name))
    )
    return [
        GroupTutorChat(group_id, f"{first} {last}", None if blocked else chat_id)
        for group_id, first, last, chat_id, blocked in rows.all()
    ]


async def list_admin_chats(session: AsyncSession, *, configured: Iterable[int]) -> list[int]:
    """The chats of the admins (by role, and those the settings name), blocked ones left out."""
    by_role = await session.scalars(
        select(TelegramAccount.telegram_id)
        .join(
            StaffRoleAssignment, col(StaffRoleAssignment.staff_id) == col(TelegramAccount.staff_id)
        )
        .where(
            col(StaffRoleAssignment.role).in_(ADMIN_ROLES),
            col(TelegramAccount.blocked).is_(False),
        )
    )
    return sorted(set(configured) | set(by_role))
