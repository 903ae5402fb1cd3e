"""What the bot stores about one person: the export (/mydata) and the erasure (/forget)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col, or_, select

from models.accounts import LinkAttempt, TelegramAccount
from models.acknowledgements import AnnouncementRead
from models.attendance import Absence
from models.audit import AuditEntry
from models.guardians import Guardianship
from models.marks import Mark
from models.outbox import OutboxMessage, Status
from models.practice import Placement
from models.school import GroupTutor, Staff, StaffRoleAssignment, Student, StudyGroup


def _rows(rows: Sequence[SQLModel]) -> list[dict[str, Any]]:
    return [row.model_dump(mode="json") for row in rows]


async def collect_personal_data(
    session: AsyncSession, *, telegram_id: int, now: datetime
) -> dict[str, Any]:
    """Gather every row about the person behind a Telegram account, ready to export as JSON.

    Others who looked at the person's records (a tutor, an admin) appear in the audit log by
    their role only: their Telegram ids are not the person's data.
    """
    account = await session.scalar(
        select(TelegramAccount).where(col(TelegramAccount.telegram_id) == telegram_id)
    )
    attempts = await session.scalars(
        select(LinkAttempt).where(col(LinkAttempt.telegram_id) == telegram_id)
    )
    reads = await session.scalars(
        select(AnnouncementRead).where(col(AnnouncementRead.telegram_id) == telegram_id)
    )
    data: dict[str, Any] = {
        "exported_at": now.isoformat(),
        "telegram_account": account.model_dump(mode="json") if account else None,
        "link_attempts": _rows(list(attempts)),
        "announcement_reads": _rows(list(reads)),
    }
    guardianships = list(
        await session.scalars(
            select(Guardianship).where(col(Guardianship.telegram_id) == telegram_id)
        )
    )
    if guardianships:
        data["guardianships"] = _rows(guardianships)
    about = [col(AuditEntry.telegram_id) == telegram_id]
    about += [
        col(AuditEntry.actor) == f"guardianship:{guardianship.id}" for guardianship in guardianships
    ]
    if account is not None and account.student_id is not None:
        data |= await _student_data(session, account.student_id)
        about += _audit_about(f"student:{account.student_id}")
    if account is not None and account.staff_id is not None:
        data |= await _staff_data(session, account.staff_id)
        about += _audit_about(f"staff:{account.staff_id}")
    entries = await session.scalars(
        select(AuditEntry).where(or_(*about)).order_by(col(AuditEntry.at), col(AuditEntry.id))
    )
    audit_log = _rows(list(entries))
    for entry in audit_log:
        if entry["telegram_id"] != telegram_id:
            entry["telegram_id"] = None
    data["audit_log"] = audit_log
    return data


def _audit_about(reference: str) -> list[Any]:
    return [col(AuditEntry.target) == reference, col(AuditEntry.actor) == reference]


async def _student_data(session: AsyncSession, student_id: int) -> dict[str, Any]:
    student = await session.get(Student, student_id)
    group = await session.get(StudyGroup, student.group_id) if student else None
    data: dict[str, Any] = {
        "student": student.model_dump(mode="json") if student else None,
        "group": group.code if group else None,
    }
    for key, model in (("absences", Absence), ("marks", Mark), ("placements", Placement)):
        rows = await session.scalars(select(model).where(col(model.student_id) == student_id))
        data[key] = _rows(list(rows))
    return data


async def _staff_data(session: AsyncSession, staff_id: int) -> dict[str, Any]:
    staff = await session.get(Staff, staff_id)
    roles = await session.scalars(
        select(StaffRoleAssignment.role).where(col(StaffRoleAssignment.staff_id) == staff_id)
    )
    groups = await session.scalars(
        select(StudyGroup.code)
        .join(GroupTutor, col(GroupTutor.group_id) == col(StudyGroup.id))
        .where(col(GroupTutor.staff_id) == staff_id)
    )
    return {
        "staff": staff.model_dump(mode="json") if staff else None,
        "staff_roles": list(roles),
        "tutor_of_groups": list(groups),
    }


@dataclass(frozen=True)
class Erasure:
    """What erasing a person's Telegram data removed."""

    account_deleted: bool
    pending_messages_deleted: int
    old_attempts_deleted: int


async def erase_personal_data(
    session: AsyncSession, *, telegram_id: int, keep_attempts_since: datetime
) -> Erasure:
    """Unlink the account and delete its Telegram data and the messages still waiting for it.

    A guardian's account is unlinked from every student it was a guardian of.
    The school's own records stay. Link attempts since keep_attempts_since stay too: the
    lockout and the school-wide limit still count them, so erasing cannot reset a guesser.
    """
    account = await session.execute(
        delete(TelegramAccount).where(col(TelegramAccount.telegram_id) == telegram_id)
    )
    await session.execute(  # a guardian's link ends; the school's guardianship row stays
        update(Guardianship)
        .where(col(Guardianship.telegram_id) == telegram_id)
        .values(telegram_id=None, linked_at=None)
    )
    pending = await session.execute(
        delete(OutboxMessage).where(
            col(OutboxMessage.chat_id) == telegram_id,
            col(OutboxMessage.status) == Status.PENDING,
        )
    )
    attempts = await session.execute(
        delete(LinkAttempt).where(
            col(LinkAttempt.telegram_id) == telegram_id,
            col(LinkAttempt.at) < keep_attempts_since,
        )
    )
    return Erasure(_count(account) > 0, _count(pending), _count(attempts))


def _count(result: object) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
