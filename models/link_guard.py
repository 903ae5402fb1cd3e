"""Guessing limits for link codes: a lockout per Telegram account and a school-wide limit."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, or_, select

from models.access import ADMIN_ROLES
from models.accounts import LinkAttempt, TelegramAccount
from models.audit import AuditEntry
from models.link_policy import LinkPolicy
from models.school import Staff, StaffRoleAssignment

SCHOOL_LIMIT_ACTION = "link:school-limit"


@dataclass(frozen=True)
class SchoolAlarm:
    """A new episode of many wrong codes across the school: tell the admins once."""

    key: str  # the same for every process that sees the episode start; dedupes the notices
    failures: int
    accounts: int
    window_minutes: int


async def locked_until(
    session: AsyncSession, *, telegram_id: int, now: datetime, policy: LinkPolicy
) -> datetime | None:
    """Return when this account's lockout ends, or None if it may try a code now."""
    window = policy.lockout
    last_success = await session.scalar(
        select(LinkAttempt.at)
        .where(col(LinkAttempt.telegram_id) == telegram_id, col(LinkAttempt.success).is_(True))
        .order_by(col(LinkAttempt.at).desc())
        .limit(1)
    )
    query = select(LinkAttempt.at).where(
        col(LinkAttempt.telegram_id) == telegram_id,
        col(LinkAttempt.success).is_(False),
        col(LinkAttempt.at) > now - 2 * window,
    )
    if last_success is not None:
        query = query.where(col(LinkAttempt.at) > last_success)
    recent = list(
        await session.scalars(query.order_by(col(LinkAttempt.at).desc()).limit(policy.max_failures))
    )
    if len(recent) < policy.max_failures:
        return None
    newest, oldest = recent[0], recent[-1]
    if newest - oldest < window and now < newest + window:
        return newest + window
    return None


async def school_paused_until(
    session: AsyncSession, *, now: datetime, policy: LinkPolicy
) -> datetime | None:
    """Return until when code checks wait because the school-wide limit is reached, or None."""
    nth_newest = await session.scalar(
        select(LinkAttempt.at)
        .where(
            col(LinkAttempt.success).is_(False),
            col(LinkAttempt.at) > now - policy.school_window,
        )
        .order_by(col(LinkAttempt.at).desc())
        .offset(policy.school_max_failures - 1)
        .limit(1)
    )
    return None if nth_newest is None else nth_newest + policy.school_window


async def check_school_alarm(
    session: AsyncSession, *, now: datetime, policy: LinkPolicy
) -> SchoolAlarm | None:
    """After a failure: if it reached the school-wide limit and no episode is on, start one.

    An episode lasts while the limit keeps being reached: it is marked in the audit log, the
    mark is renewed at most every half window, and the episode ends when the limit has not
    been reached for a whole window after the last mark. The admins hear of it once.
    """
    if await school_paused_until(session, now=now, policy=policy) is None:
        return None
    window = policy.school_window
    last_mark = await session.scalar(
        select(func.max(AuditEntry.at)).where(
            col(AuditEntry.action) == SCHOOL_LIMIT_ACTION, col(AuditEntry.at) > now - 2 * window
        )
    )
    if last_mark is not None and now - last_mark < window / 2:
        return None
    failures, accounts = (
        await session.execute(
            select(func.count(), func.count(func.distinct(LinkAttempt.telegram_id))).where(
                col(LinkAttempt.success).is_(False), col(LinkAttempt.at) > now - window
            )
        )
    ).one()
    session.add(
        AuditEntry(
            at=now,
            actor="system",
            action=SCHOOL_LIMIT_ACTION,
            detail=f"{failures} failed codes from {accounts} accounts"
            + (" (still going on)" if last_mark is not None else ""),
        )
    )
    if last_mark is not None:
        return None  # the same episode goes on: the admins already know
    # Processes that see the start of the same episode at once agree on this key.
    slot = int(now.timestamp()) // int(window.total_seconds())
    return SchoolAlarm(
        f"link-guard:{slot}", int(failures), int(accounts), policy.school_window_minutes
    )


async def list_admin_chats(
    session: AsyncSession, *, extra_ids: Sequence[int] = ()
) -> list[tuple[int, str | None]]:
    """Return the admins' chats and languages: configured ids, admin accounts, admin staff."""
    admin_staff = (
        select(StaffRoleAssignment.staff_id)
        .join(Staff, col(Staff.id) == col(StaffRoleAssignment.staff_id))
        .where(col(StaffRoleAssignment.role).in_(ADMIN_ROLES), col(Staff.active).is_(True))
    )
    rows = await session.execute(
        select(
            col(TelegramAccount.telegram_id),
            col(TelegramAccount.language),
            col(TelegramAccount.blocked),
        ).where(
            or_(
                col(TelegramAccount.is_admin).is_(True),
                col(TelegramAccount.staff_id).in_(admin_staff),
                col(TelegramAccount.telegram_id).in_(list(extra_ids)),
            )
        )
    )
    known = {int(chat): (language, blocked) for chat, language, blocked in rows.all()}
    chats = {chat: language for chat, (language, blocked) in known.items() if not blocked}
    for chat in extra_ids:  # an admin named in the settings who has not written yet
        if chat not in known:
            chats[chat] = None
    return sorted(chats.items())
