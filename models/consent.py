"""An adult student's consent to show their records to their guardians: read, change, ask once."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select as sa_select  # five columns: more than sqlmodel's select types
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.accounts import TelegramAccount
from models.guardian_queries import is_adult
from models.guardians import GuardianConsent, Guardianship, GuardianshipStatus
from models.school import Student, StudentStatus


@dataclass(frozen=True)
class ConsentState:
    """What /settings shows a student about their guardians."""

    has_guardians: bool
    adult: bool
    allowed: bool


async def consent_state(session: AsyncSession, *, student_id: int, today: date) -> ConsentState:
    """Return whether the student has guardians, decides for themselves, and allows it now."""
    student = await session.get(Student, student_id)
    guardian = await session.scalar(
        select(Guardianship.id)
        .where(
            col(Guardianship.student_id) == student_id,
            col(Guardianship.status) == GuardianshipStatus.ACTIVE,
        )
        .limit(1)
    )
    consent = await session.get(GuardianConsent, student_id)
    adult = is_adult(student.birth_date if student else None, today)
    return ConsentState(guardian is not None, adult, consent is not None and consent.allowed)


async def set_consent(
    session: AsyncSession, *, student_id: int, allowed: bool, now: datetime
) -> bool:
    """Record the student's decision; return True if it changed what guardians may see."""
    consent = await session.get(GuardianConsent, student_id, with_for_update=True)
    if consent is None:
        consent = GuardianConsent(student_id=student_id, asked_at=now)
        session.add(consent)
    changed = consent.allowed != allowed
    consent.allowed, consent.decided_at = allowed, now
    await session.flush()
    return changed


@dataclass(frozen=True)
class AdultToAsk:
    """A linked adult student with guardians, not yet asked about sharing with them."""

    student_id: int
    telegram_id: int
    language: str | None  # saved with /language
    telegram_language: str | None  # last seen from Telegram


async def adults_to_ask(session: AsyncSession, *, today: date) -> list[AdultToAsk]:
    """Return the linked active students with an active guardian whom no one has asked yet.

    A student who turned 18 (or whose birth date the school does not know) is asked once;
    a minor is skipped until their birthday.
    """
    rows = await session.execute(
        sa_select(
            col(Student.id),
            col(Student.birth_date),
            col(TelegramAccount.telegram_id),
            col(TelegramAccount.language),
            col(TelegramAccount.telegram_language),
        )
        .join(TelegramAccount, col(TelegramAccount.student_id) == col(Student.id))
        .outerjoin(GuardianConsent, col(GuardianConsent.student_id) == col(Student.id))
        .where(
            col(Student.status) == StudentStatus.ACTIVE,
            col(TelegramAccount.blocked).is_(False),
            col(GuardianConsent.asked_at).is_(None),
            col(Student.id).in_(
                select(Guardianship.student_id).where(
                    col(Guardianship.status) == GuardianshipStatus.ACTIVE
                )
            ),
        )
    )
    return [
        AdultToAsk(student_id or 0, int(telegram_id), saved, seen)
        for student_id, born, telegram_id, saved, seen in rows.all()
        if is_adult(born, today)
    ]


async def mark_asked(session: AsyncSession, *, student_id: int, now: datetime) -> None:
    """Remember that the student was asked, so they are asked only once."""
    consent = await session.get(GuardianConsent, student_id)
    if consent is None:
        session.add(GuardianConsent(student_id=student_id, allowed=False, asked_at=now))
    else:
        consent.asked_at = now
    await session.flush()
