"""Redeeming a guardian's code: only on a guardian's own account, never a student's or staff's."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.accounts import LinkAttempt, LinkCode, TelegramAccount
from models.guardians import Guardianship, GuardianshipStatus
from models.link_audit import link_audit
from models.link_claim import claim_code
from models.link_results import LinkOutcome, LinkResult
from models.school import Student, StudyGroup


async def is_guardian_account(session: AsyncSession, *, telegram_id: int) -> bool:
    """Tell whether this Telegram account is linked as a guardian of any student."""
    found = await session.scalar(
        select(Guardianship.id).where(col(Guardianship.telegram_id) == telegram_id).limit(1)
    )
    return found is not None


async def link_guardian(
    session: AsyncSession, *, telegram_id: int, code: LinkCode, now: datetime
) -> LinkResult | None:
    """Link the account to the code's guardianship, or refuse without using the code up.

    A student's or staff member's account is refused: a guardian links their own account, so
    that what a guardian sees never mixes with what the account's person sees. None: the
    code was used by someone else at the same moment.
    """
    guardianship = await session.get(Guardianship, code.guardianship_id)
    assert guardianship is not None  # the foreign key holds
    target = f"guardianship:{guardianship.id}"
    student = await session.get(Student, guardianship.student_id)
    assert student is not None
    group = await session.get(StudyGroup, student.group_id)
    group_code = group.code if group else ""
    account = await session.scalar(
        select(TelegramAccount).where(col(TelegramAccount.telegram_id) == telegram_id)
    )
    if account is not None and (account.student_id or account.staff_id):
        session.add(link_audit(telegram_id, "link:refused", target, "a person's account"))
        return LinkResult(LinkOutcome.GUARDIAN_CODE_ON_LINKED)
    if guardianship.status != GuardianshipStatus.ACTIVE:
        session.add(link_audit(telegram_id, "link:refused", target, "guardianship ended"))
        return LinkResult(LinkOutcome.EXPIRED)
    if group is None or not group.bot_access:
        session.add(link_audit(telegram_id, "link:refused", target, "no bot access"))
        return LinkResult(LinkOutcome.NO_BOT_ACCESS, group_code=group_code)
    if not await claim_code(session, code=code, telegram_id=telegram_id, now=now):
        return None
    moved_from = guardianship.telegram_id if guardianship.telegram_id != telegram_id else None
    if moved_from is not None:
        session.add(link_audit(telegram_id, "link:moved", target, f"from telegram:{moved_from}"))
    if account is None:
        account = TelegramAccount(telegram_id=telegram_id)
        session.add(account)
    account.ward_id = student.id  # the student just linked is the one shown first
    account.linked_at = now
    guardianship.telegram_id, guardianship.linked_at = telegram_id, now
    session.add(LinkAttempt(telegram_id=telegram_id, at=now, success=True))
    session.add(link_audit(telegram_id, "link", target, f"student:{student.id}"))
    await session.flush()
    return LinkResult(
        LinkOutcome.LINKED,
        name=guardianship.name,
        group_code=group_code,
        guardianship_id=guardianship.id,
        student_name=student.full_name,
        moved_from=moved_from,
    )
