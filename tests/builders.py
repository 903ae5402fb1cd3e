"""The one place tests make school rows: keyword-only builders that flush and return the row."""

import io
from collections.abc import Iterable

import openpyxl
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.accounts import TelegramAccount
from models.guardians import Guardianship
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


def row_id(row: object) -> int:
    """The id of a flushed row (a test's rows are always flushed before use)."""
    ident = getattr(row, "id", None)
    assert isinstance(ident, int)
    return ident


async def add_building(session: AsyncSession, *, code: str = "B1", kind: str = "study") -> Building:
    building = Building(code=code, name=f"Building {code}", kind=kind)
    session.add(building)
    await session.flush()
    return building


async def add_programme(session: AsyncSession, *, code: str = "P1") -> Programme:
    programme = Programme(code=code, name_lv=f"Programma {code}")
    session.add(programme)
    await session.flush()
    return programme


async def add_speciality(
    session: AsyncSession, *, programme: Programme, code: str = "SP1"
) -> Speciality:
    speciality = Speciality(
        code=code, programme_id=row_id(programme), name_lv=f"Specialitāte {code}"
    )
    session.add(speciality)
    await session.flush()
    return speciality


async def add_group(
    session: AsyncSession,
    *,
    code: str = "AM-21",
    course: int = 1,
    programme: Programme | None = None,
    speciality: Speciality | None = None,
    building: Building | None = None,
    bot_access: bool = True,
    is_prison: bool = False,
) -> StudyGroup:
    group = StudyGroup(
        code=code,
        code_key=group_key(code),
        course=course,
        programme_id=programme.id if programme else speciality.programme_id if speciality else None,
        speciality_id=speciality.id if speciality else None,
        home_building_id=building.id if building else None,
        bot_access=bot_access,
        is_prison=is_prison,
    )
    session.add(group)
    await session.flush()
    return group


async def add_account(
    session: AsyncSession,
    *,
    telegram_id: int,
    student: Student | None = None,
    staff: Staff | None = None,
    is_admin: bool = False,
    blocked: bool = False,
    language: str | None = None,
) -> TelegramAccount:
    account = TelegramAccount(
        telegram_id=telegram_id,
        student_id=student.id if student else None,
        staff_id=staff.id if staff else None,
        is_admin=is_admin,
        blocked=blocked,
        language=language,
    )
    session.add(account)
    await session.flush()
    return account


async def add_student(
    session: AsyncSession,
    *,
    group: StudyGroup,
    number: str | None = None,
    first_name: str = "Student",
    last_name: str | None = None,
    status: str = StudentStatus.ACTIVE,
    dorm: Building | None = None,
    telegram_id: int | None = None,
    blocked: bool = False,
) -> Student:
    """Add a student; with a telegram_id, also their linked account."""
    number = number or f"S{telegram_id or id(group)}-{group.code}"
    last_name = last_name or number
    student = Student(
        student_number=number,
        first_name=first_name,
        last_name=last_name,
        name_key=fold(f"{first_name} {last_name}"),
        group_id=row_id(group),
        status=status,
        dorm_building_id=dorm.id if dorm else None,
    )
    session.add(student)
    await session.flush()
    if telegram_id is not None:
        await add_account(session, telegram_id=telegram_id, student=student, blocked=blocked)
    return student


async def add_staff(
    session: AsyncSession,
    *,
    code: str | None = None,
    first_name: str = "Teacher",
    last_name: str | None = None,
    roles: Iterable[str] = (),
    tutor_of: Iterable[StudyGroup] = (),
    building: Building | None = None,
    telegram_id: int | None = None,
    is_admin: bool = False,
) -> Staff:
    """Add a staff member with roles and tutored groups; with a telegram_id, linked too."""
    code = code or f"T{telegram_id}"
    last_name = last_name or code
    staff = Staff(
        code=code,
        first_name=first_name,
        last_name=last_name,
        name_key=fold(f"{first_name} {last_name}"),
        main_building_id=building.id if building else None,
    )
    session.add(staff)
    await session.flush()
    session.add_all(StaffRoleAssignment(staff_id=row_id(staff), role=role) for role in roles)
    session.add_all(
        GroupTutor(group_id=row_id(group), staff_id=row_id(staff)) for group in tutor_of
    )
    await session.flush()
    if telegram_id is not None:
        await add_account(session, telegram_id=telegram_id, staff=staff, is_admin=is_admin)
    return staff


async def add_recipients(
    session: AsyncSession, *, count: int, first_id: int = 500_000
) -> list[int]:
    """Add one group of `count` linked students; return their chat ids."""
    group = await add_group(session, code=f"BR-{first_id % 100}")
    ids = list(range(first_id, first_id + count))
    for telegram_id in ids:
        await add_student(session, group=group, telegram_id=telegram_id)
    return ids


async def add_guardian(
    session: AsyncSession,
    *,
    student: Student,
    name: str = "Guardian Parent",
    relation: str = "mother",
    status: str = "active",
    telegram_id: int | None = None,
) -> Guardianship:
    """Add a guardian of a student; with a telegram_id, their account linked as guardian too."""
    guardianship = Guardianship(
        student_id=row_id(student),
        name=name,
        name_key=fold(name),
        relation=relation,
        status=status,
        telegram_id=telegram_id,
    )
    session.add(guardianship)
    await session.flush()
    if telegram_id is not None:
        account = await session.scalar(
            select(TelegramAccount).where(col(TelegramAccount.telegram_id) == telegram_id)
        )
        if account is None:
            account = await add_account(session, telegram_id=telegram_id)
        account.ward_id = account.ward_id or student.id
        await session.flush()
    return guardianship


def buildings_xlsx(count: int) -> bytes:
    """A real XLSX workbook of `count` buildings, as the school's office would send it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["code", "name", "address"])
    for number in range(count):
        sheet.append([f"B{number:04}", f"Building {number}", f"Street {number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
