"""One-time link codes: issue them (stored hashed) and redeem them into a linked account."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.config import Settings
from models.accounts import LinkAttempt, LinkCode, TelegramAccount
from models.audit import AuditEntry
from models.school import Staff, Student, StudentStatus, StudyGroup
from models.text import fold, group_key

# No 0/O, 1/I/L: a code read off paper is typed right the first time.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_CODE_CHAR = "[2-9A-HJKMNP-Za-hjkmnp-z]"
# A whole message that is a code: "K7QM-4XPA", "k7qm4xpa". Group codes ("AM-21") and words
# never match: a code has 8 characters with at least one digit and one letter.
CODE_PATTERN = re.compile(
    rf"^\s*(?=(?:[^0-9]*[2-9]))(?=(?:[^A-Za-z]*[A-Za-z])){_CODE_CHAR}{{4}}-?{_CODE_CHAR}{{4}}\s*$"
)


class LinkOutcome(StrEnum):
    LINKED = "linked"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    LOCKED_OUT = "locked_out"
    NO_BOT_ACCESS = "no_bot_access"


@dataclass(frozen=True)
class LinkResult:
    """What redeeming a code did; for a link, who the account now belongs to."""

    outcome: LinkOutcome
    name: str = ""
    group_code: str = ""
    student_id: int | None = None
    staff_id: int | None = None
    moved_from: int | None = None  # the Telegram id that lost the link
    locked_until: datetime | None = None

    @property
    def linked(self) -> bool:
        return self.outcome is LinkOutcome.LINKED


@dataclass(frozen=True)
class IssuedCode:
    """A freshly issued code and the person it is for, as printed on a sheet."""

    name: str
    number: str  # student number or staff code
    group_code: str
    code: str


def normalize_code(text: str) -> str | None:
    """Return the canonical 8-character code in a message, or None if it is not one."""
    if CODE_PATTERN.match(text) is None:
        return None
    return text.strip().replace("-", "").upper()


def display_code(code: str) -> str:
    """Group a code for reading: 'K7QM4XPA' -> 'K7QM-4XPA'."""
    return f"{code[:4]}-{code[4:]}"


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if any(c in _DIGITS for c in code) and any(c in _LETTERS for c in code):
            return code


async def issue_code(
    session: AsyncSession,
    *,
    student_id: int | None = None,
    staff_id: int | None = None,
    ttl_days: int,
    now: datetime,
) -> str:
    """Issue a code for one person, retiring their older unused codes; return it in plain text."""
    if (student_id is None) == (staff_id is None):
        raise ValueError("give exactly one of student_id and staff_id")
    owner = (
        col(LinkCode.student_id) == student_id
        if student_id is not None
        else col(LinkCode.staff_id) == staff_id
    )
    await session.execute(
        update(LinkCode)
        .where(owner, col(LinkCode.used_at).is_(None), col(LinkCode.expires_at) > now)
        .values(expires_at=now)
    )
    while True:
        code = _new_code()
        taken = await session.scalar(
            select(LinkCode.id).where(col(LinkCode.code_hash) == hash_code(code))
        )
        if taken is None:
            break
    session.add(
        LinkCode(
            code_hash=hash_code(code),
            student_id=student_id,
            staff_id=staff_id,
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
    session: AsyncSession, *, group: StudyGroup, ttl_days: int, now: datetime
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
        code = await issue_code(session, student_id=student.id, ttl_days=ttl_days, now=now)
        issued.append(IssuedCode(student.full_name, student.student_number, group.code, code))
    return issued


async def issue_code_for_student(
    session: AsyncSession, *, student_number: str, ttl_days: int, now: datetime
) -> IssuedCode | None:
    student = await session.scalar(
        select(Student).where(col(Student.student_number) == student_number)
    )
    if student is None or student.id is None:
        return None
    group = await session.get(StudyGroup, student.group_id)
    code = await issue_code(session, student_id=student.id, ttl_days=ttl_days, now=now)
    return IssuedCode(student.full_name, student.student_number, group.code if group else "", code)


async def issue_code_for_staff(
    session: AsyncSession, *, staff_code: str, ttl_days: int, now: datetime
) -> IssuedCode | None:
    staff = await session.scalar(select(Staff).where(col(Staff.code) == staff_code))
    if staff is None or staff.id is None:
        return None
    code = await issue_code(session, staff_id=staff.id, ttl_days=ttl_days, now=now)
    return IssuedCode(staff.full_name, staff.code, "", code)


async def locked_until(
    session: AsyncSession, *, telegram_id: int, now: datetime, settings: Settings
) -> datetime | None:
    """Return when this account's lockout ends, or None if it may try a code now."""
    window = timedelta(minutes=settings.link_lockout_minutes)
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
        await session.scalars(
            query.order_by(col(LinkAttempt.at).desc()).limit(settings.link_max_failures)
        )
    )
    if len(recent) < settings.link_max_failures:
        return None
    newest, oldest = recent[0], recent[-1]
    if newest - oldest < window and now < newest + window:
        return newest + window
    return None


def _audit(telegram_id: int, action: str, target: str = "", detail: str = "") -> AuditEntry:
    return AuditEntry(
        telegram_id=telegram_id,
        actor=f"telegram:{telegram_id}",
        action=action,
        target=target,
        detail=detail,
    )


async def _fail(
    session: AsyncSession,
    *,
    telegram_id: int,
    outcome: LinkOutcome,
    now: datetime,
    settings: Settings,
) -> LinkResult:
    """Record a failed try; the try that reaches the limit starts the lockout."""
    session.add(LinkAttempt(telegram_id=telegram_id, at=now, success=False))
    session.add(_audit(telegram_id, "link:failed", detail=outcome.value))
    await session.flush()
    until = await locked_until(session, telegram_id=telegram_id, now=now, settings=settings)
    if until is not None:
        session.add(_audit(telegram_id, "link:lockout", detail=until.isoformat()))
        return LinkResult(LinkOutcome.LOCKED_OUT, locked_until=until)
    return LinkResult(outcome)


async def redeem(
    session: AsyncSession, *, telegram_id: int, text: str, now: datetime, settings: Settings
) -> LinkResult:
    """Link the Telegram account to the code's person, or say precisely why not."""
    until = await locked_until(session, telegram_id=telegram_id, now=now, settings=settings)
    if until is not None:
        return LinkResult(LinkOutcome.LOCKED_OUT, locked_until=until)
    code = normalize_code(text)
    row = None
    if code is not None:
        row = await session.scalar(
            select(LinkCode).where(col(LinkCode.code_hash) == hash_code(code)).with_for_update()
        )
    if row is None:
        outcome = LinkOutcome.WRONG
    elif row.used_at is not None:
        outcome = LinkOutcome.USED
    elif row.expires_at <= now:
        outcome = LinkOutcome.EXPIRED
    else:
        return await _link(session, telegram_id=telegram_id, code=row, now=now)
    return await _fail(
        session, telegram_id=telegram_id, outcome=outcome, now=now, settings=settings
    )


async def _link(
    session: AsyncSession, *, telegram_id: int, code: LinkCode, now: datetime
) -> LinkResult:
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
    code.used_at, code.used_by = now, telegram_id
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
