"""Fixture rows for the linking tests: a programme, groups, students and staff."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.demo_run import DEMO_LINK_POLICY
from models.school import (
    Building,
    GroupTutor,
    Programme,
    Speciality,
    Staff,
    StaffRoleAssignment,
    Student,
    StudentStatus,
    StudyGroup,
)
from models.text import fold, group_key

POLICY = DEMO_LINK_POLICY  # the link policy of the `settings` fixture (same secret)


async def add_building(session: AsyncSession, code: str = "B1", *, kind: str = "study") -> Building:
    building = Building(code=code, name=f"Building {code}", kind=kind)
    session.add(building)
    await session.flush()
    return building


async def add_programme(session: AsyncSession, code: str = "P1") -> Programme:
    programme = Programme(code=code, name_lv=f"Programma {code}")
    session.add(programme)
    await session.flush()
    return programme


async def add_speciality(
    session: AsyncSession, programme: Programme, code: str = "SP1"
) -> Speciality:
    speciality = Speciality(
        code=code, programme_id=programme.id or 0, name_lv=f"Specialitāte {code}"
    )
    session.add(speciality)
    await session.flush()
    return speciality


async def add_group(
    session: AsyncSession,
    code: str = "AM-21",
    *,
    bot_access: bool = True,
    is_prison: bool = False,
    speciality: Speciality | None = None,
) -> StudyGroup:
    group = StudyGroup(
        code=code,
        code_key=group_key(code),
        programme_id=speciality.programme_id if speciality else None,
        speciality_id=speciality.id if speciality else None,
        bot_access=bot_access,
        is_prison=is_prison,
    )
    session.add(group)
    await session.flush()
    return group


async def add_student(
    session: AsyncSession,
    group: StudyGroup,
    number: str,
    *,
    first_name: str = "Audzēknis",
    last_name: str = "Pirmais",
    status: str = StudentStatus.ACTIVE,
) -> Student:
    student = Student(
        student_number=number,
        first_name=first_name,
        last_name=last_name,
        name_key=fold(f"{first_name} {last_name}"),
        group_id=group.id or 0,
        status=status,
    )
    session.add(student)
    await session.flush()
    return student


async def add_staff(
    session: AsyncSession,
    code: str,
    *,
    first_name: str = "Skolotājs",
    last_name: str = "Otrais",
    roles: tuple[str, ...] = (),
    tutor_of: tuple[StudyGroup, ...] = (),
) -> Staff:
    staff = Staff(
        code=code,
        first_name=first_name,
        last_name=last_name,
        name_key=fold(f"{first_name} {last_name}"),
    )
    session.add(staff)
    await session.flush()
    for role in roles:
        session.add(StaffRoleAssignment(staff_id=staff.id or 0, role=role))
    for group in tutor_of:
        session.add(GroupTutor(group_id=group.id or 0, staff_id=staff.id or 0))
    await session.flush()
    return staff
