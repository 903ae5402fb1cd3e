"""One-time link codes: issue them (stored hashed) and redeem them into a linked account."""

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.accounts import LinkAttempt, LinkCode, TelegramAccount
from models.guardian_linking import is_guardian_account, link_guardian
from models.link_audit import link_audit as _audit
from models.link_claim import claim_code
from models.link_code_format import display_code, new_code, normalize_code
from models.link_guard import check_school_alarm, locked_until, school_paused_until
from models.link_policy import LinkPolicy
from models.link_results import (  # re-exported: callers import them from here
    IssuedCode as IssuedCode,
)
from models.link_results import (
    LinkOutcome as LinkOutcome,
)
from models.link_results import (
    LinkResult as LinkResult,
)
from models.school import Staff, Student, StudentStatus, StudyGroup
from models.text import fold, group_key


async def issue_code(
    session: AsyncSession,
    *,
    student_id: int | None = None,
    staff_id: int | None = None,
    guardianship_id: int | None = None,
    ttl_days: int,
    now: datetime,
    policy: LinkPolicy,
) -> str:
    """Issue a code for one person, retiring their older unused codes; return it in plain text.

    Only the code's keyed hash is stored: a copy of the database without the secret does not
    give the codes away.
    """
    owners = [
        col(column) == ident
        for column, ident in (
            (LinkCode.student_id, student_id),
            (LinkCode.staff_id, staff_id),
            (LinkCode.guardianship_id, guardianship_id),
        )
        if ident is not None
    ]
    if len(owners) != 1:
        raise ValueError("give exactly one of student_id, staff_id and guardianship_id")
    owner = owners[0]
    await session.execute(
        update(LinkCode)
        .where(owner, col(LinkCode.used_at).is_(None), col(LinkCode.expires_at) > now)
        .values(expires_at=now)
    )
    while True:
        code = new_code()
        taken = await session.scalar(
            select(LinkCode.id).where(col(LinkCode.code_hash) == policy.hash_code(code))
        )
        if taken is None:
            break
    session.add(
        LinkCode(
            code_hash=policy.hash_code(code),
            student_id=student_id,
            staff_id=staff_id,
            guardianship_id=guardianship_id,
            created_at=now,
            expires_at=now + timedelta(days=ttl_days),
        )
    )
    await session.flush()
    return display_code(code)


async def get_group_by_code(session: AsyncSession, *, code: str) -> StudyGroup | None:
    return await session.scalar(
        select(StudyGroup).where(col(StudyGroup.code_key) == group_key(code))
    )


async def issue_codes_for_group(
    session: AsyncSession, *, group: StudyGroup, ttl_days: int, now: datetime, policy: LinkPolicy
) -> list[IssuedCode]:
    """Issue a code for every active student of a group, in name order."""
    students = await session.scalars(
        select(Student).where(
            col(Student.group_id) == group.id, col(Student.status) == StudentStatus.ACTIVE
        )
    )
    # Sort in Python: 'Ā' after 'A', not after 'Z' as byte order and some collations put it.
    ordered = sorted(
        students, key=lambda s: (fold(s.last_name), fold(s.first_name), s.student_number)
    )
    issued = []
    for student in ordered:
        assert student.id is not None
        code = await issue_code(
            session, student_id=student.id, ttl_days=ttl_days, now=now, policy=policy
        )
        issued.append(IssuedCode(student.full_name, student.student_number, group.code, code))
    return issued


async def issue_code_for_student(
    session: AsyncSession, *, student_number: str, ttl_days: int, now: datetime, policy: LinkPolicy
) -> IssuedCode | None:
    student = await session.scalar(
        select(Student).where(col(Student.student_number) == student_number)
    )
    if student is None or student.id is None:
        return None
    group = await session.get(StudyGroup, student.group_id)
    code = await issue_code(
        session, student_id=student.id, ttl_days=ttl_days, now=now, policy=policy
    )
    return IssuedCode(student.full_name, student.student_number, group.code if group else "", code)


async def issue_code_for_staff(
    session: AsyncSession, *, staff_code: str, ttl_days: int, now: datetime, policy: LinkPolicy
) -> IssuedCode | None:
    staff = await session.scalar(select(Staff).where(col(Staff.code) == staff_code))
    if staff is None or staff.id is None:
        return None
    code = await issue_code(session, staff_id=staff.id, ttl_days=ttl_days, now=now, policy=policy)
    return IssuedCode(staff.full_name, staff.code, "", code)


async def _fail(
    session: AsyncSession,
    *,
    telegram_id: int,
    outcome: LinkOutcome,
    now: datetime,
    policy: LinkPolicy,
) -> LinkResult:
    """Record a failed try; the try that reaches the limit starts the lockout."""
    session.add(LinkAttempt(telegram_id=telegram_id, at=now, success=False))
    session.add(_audit(telegram_id, "link:failed", detail=outcome.value))
    await session.flush()
    alarm = await check_school_alarm(session, now=now, policy=policy)
    until = await locked_until(session, telegram_id=telegram_id, now=now, policy=policy)
    if until is not None:
        session.add(_audit(telegram_id, "link:lockout", detail=until.isoformat()))
        return LinkResult(LinkOutcome.LOCKED_OUT, locked_until=until, alarm=alarm)
    return LinkResult(outcome, alarm=alarm)


async def redeem(
    session: AsyncSession, *, telegram_id: int, text: str, now: datetime, policy: LinkPolicy
) -> LinkResult:
    """Link the Telegram account to the code's person, or say precisely why not.

    A locked-out account, or any account while the school-wide limit is reached, gets its
    answer before the code is looked at: a refused check teaches a guesser nothing.
    """
    until = await locked_until(session, telegram_id=telegram_id, now=now, policy=policy)
    if until is not None:
        return LinkResult(LinkOutcome.LOCKED_OUT, locked_until=until)
    paused = await school_paused_until(session, now=now, policy=policy)
    if paused is not None:
        return LinkResult(LinkOutcome.SCHOOL_PAUSED, locked_until=paused)
    code = normalize_code(text)
    row = None
    if code is not None:
        row = await session.scalar(
            select(LinkCode)
            .where(col(LinkCode.code_hash) == policy.hash_code(code))
            .with_for_update()
        )
    if row is None:
        outcome = LinkOutcome.WRONG
    elif row.used_at is not None:
        outcome = LinkOutcome.USED
    elif row.expires_at <= now:
        outcome = LinkOutcome.EXPIRED
    else:
        linked = await _link(session, telegram_id=telegram_id, code=row, now=now)
        if linked is not None:
            return linked
        outcome = LinkOutcome.USED  # someone else used it at the same moment
    return await _fail(session, telegram_id=telegram_id, outcome=outcome, now=now, policy=policy)


async def _link(
    session: AsyncSession, *, telegram_id: int, code: LinkCode, now: datetime
) -> LinkResult | None:
    """Link the account to the code's person; None if the code was used meanwhile."""
    if code.guardianship_id is not None:
        return await link_guardian(session, telegram_id=telegram_id, code=code, now=now)
    if await is_guardian_account(session, telegram_id=telegram_id):
        session.add(_audit(telegram_id, "link:refused", detail="a guardian's account"))
        return LinkResult(LinkOutcome.ACCOUNT_IS_GUARDIAN)
    name, group_code = "", ""
    if code.student_id is not None:
        student = await session.get(Student, code.student_id)
        assert student is not None  # the foreign key holds
        group = await session.get(StudyGroup, student.group_id)
        name, group_code = student.full_name, group.code if group else ""
        if group is None or not group.bot_access:
            session.add(
                _audit(telegram_id, "link:refused", f"student:{student.id}", "no bot access")
            )
            return LinkResult(LinkOutcome.NO_BOT_ACCESS, name=name, group_code=group_code)
        owner = col(TelegramAccount.student_id) == code.student_id
    else:
        staff = await session.get(Staff, code.staff_id)
        assert staff is not None
        name = staff.full_name
        owner = col(TelegramAccount.staff_id) == code.staff_id
    target = f"student:{code.student_id}" if code.student_id else f"staff:{code.staff_id}"
    if not await claim_code(session, code=code, telegram_id=telegram_id, now=now):
        return None

    moved_from = None
    previous = await session.scalar(
        select(TelegramAccount).where(owner, col(TelegramAccount.telegram_id) != telegram_id)
    )
    if previous is not None:
        moved_from = previous.telegram_id
        previous.student_id, previous.staff_id, previous.linked_at = None, None, None
        session.add(_audit(telegram_id, "link:moved", target, f"from telegram:{moved_from}"))
        await session.flush()  # free the unique student_id/staff_id before taking it

    account = await session.scalar(
        select(TelegramAccount).where(col(TelegramAccount.telegram_id) == telegram_id)
    )
    if account is None:
        account = TelegramAccount(telegram_id=telegram_id)
        session.add(account)
    account.student_id, account.staff_id = code.student_id, code.staff_id
    account.linked_at = now
    session.add(LinkAttempt(telegram_id=telegram_id, at=now, success=True))
    session.add(_audit(telegram_id, "link", target))
    await session.flush()
    return LinkResult(
        LinkOutcome.LINKED,
        name=name,
        group_code=group_code,
        student_id=code.student_id,
        staff_id=code.staff_id,
        moved_from=moved_from,
    )
