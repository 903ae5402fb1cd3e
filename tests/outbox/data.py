"""Fixture rows for the outbox tests: groups, linked students and staff, tutors."""

from sqlalchemy.ext.asyncio import AsyncSession

from models.accounts import TelegramAccount
from models.school import (
    Building,
    GroupTutor,
    Programme,
    Staff,
    Student,
    StudentStatus,
    StudyGroup,
)
from models.text import group_key


async def add_building(session: AsyncSession, code: str, *, kind: str = "study") -> Building:
    building = Building(code=code, name=f"Building {code}", kind=kind)
    session.add(building)
    await session.flush()
    return building


async def add_programme(session: AsyncSession, code: str) -> Programme:
    programme = Programme(code=code, name_lv=f"Programma {code}")
    session.add(programme)
    await session.flush()
    return programme


async def add_group(
    session: AsyncSession,
    code: str,
    *,
    course: int = 1,
    programme: Programme | None = None,
    building: Building | None = None,
    bot_access: bool = True,
) -> StudyGroup:
    group = StudyGroup(
        code=code,
        code_key=group_key(code),
        course=course,
        programme_id=programme.id if programme else None,
        home_building_id=building.id if building else None,
        bot_access=bot_access,
    )
    session.add(group)
    await session.flush()
    return group


async def add_student(
    session: AsyncSession,
    group: StudyGroup,
    telegram_id: int | None,
    *,
    blocked: bool = False,
    status: str = StudentStatus.ACTIVE,
    dorm: Building | None = None,
) -> Student:
    """Add a student; with a telegram_id, also their linked account."""
    number = f"S{telegram_id or id(group)}-{group.code}"
    student = Student(
        student_number=number,
        first_name="Student",
        last_name=number,
        name_key=number.lower(),
        group_id=group.id or 0,
        status=status,
        dorm_building_id=dorm.id if dorm else None,
    )
    session.add(student)
    await session.flush()
    if telegram_id is not None:
        session.add(
            TelegramAccount(telegram_id=telegram_id, student_id=student.id, blocked=blocked)
        )
        await session.flush()
    return student


async def add_staff(
    session: AsyncSession,
    telegram_id: int | None,
    *,
    tutor_of: tuple[StudyGroup, ...] = (),
    building: Building | None = None,
    is_admin: bool = False,
) -> Staff:
    """Add a staff member (optionally linked, tutoring groups)."""
    code = f"T{telegram_id}"
    staff = Staff(
        code=code,
        first_name="Teacher",
        last_name=code,
        name_key=code.lower(),
        main_building_id=building.id if building else None,
    )
    session.add(staff)
    await session.flush()
    for group in tutor_of:
        session.add(GroupTutor(group_id=group.id or 0, staff_id=staff.id or 0))
    if telegram_id is not None:
        session.add(TelegramAccount(telegram_id=telegram_id, staff_id=staff.id, is_admin=is_admin))
    await session.flush()
    return staff


async def add_recipients(
    session: AsyncSession, count: int, *, first_id: int = 500_000
) -> list[int]:
    """Add one group of `count` linked students; return their chat ids."""
    group = await add_group(session, f"BR-{first_id % 100}")
    ids = list(range(first_id, first_id + count))
    for telegram_id in ids:
        await add_student(session, group, telegram_id)
    return ids
