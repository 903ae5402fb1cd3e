"""What a guardian may see: their students, shared while a minor or while an adult allows it."""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.access import StudentRef, Ward
from models.accounts import TelegramAccount
from models.guardians import GuardianConsent, Guardianship, GuardianshipStatus
from models.school import Student, StudentStatus, StudyGroup
from models.text import fold


def is_adult(birth_date: date | None, today: date) -> bool:
    """Tell whether a student decides for themselves: 18 or older, or birth date unknown.

    (Student.is_minor says no for an unknown birth date too: both treat unknown as adult.)
    """
    if birth_date is None:
        return True  # the school did not say: the law's safer side
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1) >= 18


def records_shared(*, birth_date: date | None, allowed: bool | None, today: date) -> bool:
    """Tell whether guardians see a student's records: always for a minor, else by consent."""
    return not is_adult(birth_date, today) or bool(allowed)


async def list_wards(session: AsyncSession, *, telegram_id: int, today: date) -> tuple[Ward, ...]:
    """Return the active students a guardian's account holds an active guardianship of.

    A student who left the school, or whose guardianship the school ended, is not listed.
    """
    rows = await session.execute(
        select(
            col(Guardianship.id),
            Student,
            col(StudyGroup.code),
            col(GuardianConsent.allowed),
        )
        .join(Student, col(Student.id) == col(Guardianship.student_id))
        .join(StudyGroup, col(StudyGroup.id) == col(Student.group_id))
        .outerjoin(GuardianConsent, col(GuardianConsent.student_id) == col(Student.id))
        .where(
            col(Guardianship.telegram_id) == telegram_id,
            col(Guardianship.status) == GuardianshipStatus.ACTIVE,
            col(Student.status) == StudentStatus.ACTIVE,
            col(StudyGroup.bot_access).is_(True),
        )
    )
    wards = [
        Ward(
            guardianship_id=ident or 0,
            student=StudentRef(student.id or 0, student.full_name, student.group_id),
            group_code=group_code,
            shared=records_shared(birth_date=student.birth_date, allowed=allowed, today=today),
        )
        for ident, student, group_code, allowed in rows.all()
    ]
    return tuple(sorted(wards, key=lambda ward: (fold(ward.student.name), ward.student.id)))


async def choose_ward(
    session: AsyncSession, *, telegram_id: int, student_id: int, today: date
) -> Ward | None:
    """Remember the guardian's choice of student; None if it is not one of theirs."""
    ward = next(
        (
            ward
            for ward in await list_wards(session, telegram_id=telegram_id, today=today)
            if ward.student.id == student_id
        ),
        None,
    )
    if ward is None:
        return None
    account = await session.scalar(
        select(TelegramAccount).where(col(TelegramAccount.telegram_id) == telegram_id)
    )
    if account is not None:
        account.ward_id = student_id
    return ward


async def guardian_chats(
    session: AsyncSession, *, student_id: int
) -> list[tuple[int, str | None, str | None]]:
    """Return a student's linked, active guardians' chats: (chat, saved, Telegram's language)."""
    rows = await session.execute(
        select(
            col(TelegramAccount.telegram_id),
            col(TelegramAccount.language),
            col(TelegramAccount.telegram_language),
        )
        .join(Guardianship, col(Guardianship.telegram_id) == col(TelegramAccount.telegram_id))
        .where(
            col(Guardianship.student_id) == student_id,
            col(Guardianship.status) == GuardianshipStatus.ACTIVE,
            col(TelegramAccount.blocked).is_(False),
        )
        .distinct()
    )
    return [(int(chat), saved, seen) for chat, saved, seen in rows.all()]
