"""Who an announcement reaches: an audience spec resolved to linked, reachable Telegram chats.

Spec: parts joined by ";", each one of `all`, `students`, `staff`, `tutors`,
`group:AM-21,KS-21`, `course:2`, `programme:<code>`, `building:<code>`, `dorm` or
`dorm:<building code>`. A tutor (limit_to_groups given) may only use `group:` with their own
groups. Only active students of groups with bot access, active staff, accounts that are linked
and not blocked are counted.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from models.accounts import TelegramAccount
from models.i18n import N_
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

KINDS = ("all", "students", "staff", "tutors", "group", "course", "programme", "building", "dorm")


class AudienceError(Exception):
    """The spec cannot be used; `message` is a msgid to translate, `params` fill it."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Audience:
    """The resolved recipients (sorted, unique) and the spec in canonical form."""

    spec: str
    chat_ids: Sequence[int] = field(default_factory=tuple)


async def resolve_audience(
    session: AsyncSession, spec: str, *, limit_to_groups: frozenset[int] | None = None
) -> Audience:
    """Resolve a spec to chat ids; raise AudienceError for unknown kinds, codes or refusals."""
    parts = [part.strip() for part in spec.split(";") if part.strip()]
    if not parts:
        raise AudienceError(N_("Say who should receive it, for example {example}."), example="all")
    chats: set[int] = set()
    canonical: list[str] = []
    for part in parts:
        kind, _, value = part.partition(":")
        kind = kind.strip().lower()
        values = [v.strip() for v in value.split(",") if v.strip()]
        if kind not in KINDS:
            raise AudienceError(N_("Unknown audience: {part}."), part=part)
        if limit_to_groups is not None and kind != "group":
            raise AudienceError(N_("Tutors can send only to their own groups."))
        chats |= await _resolve_part(session, kind, values, limit_to_groups)
        canonical.append(f"{kind}:{','.join(values)}" if values else kind)
    return Audience(";".join(canonical), tuple(sorted(chats)))


async def _resolve_part(
    session: AsyncSession, kind: str, values: list[str], limit_to_groups: frozenset[int] | None
) -> set[int]:
    if kind in ("all", "students", "staff", "tutors") and values:
        raise AudienceError(N_("{kind} takes no codes."), kind=kind)
    if kind in ("group", "course", "programme", "building") and not values:
        raise AudienceError(N_('Name at least one code after "{kind}:".'), kind=kind)
    students = _student_chats()
    staff = _staff_chats()
    if kind == "all":
        return await _ids(session, students) | await _ids(session, staff)
    if kind == "students":
        return await _ids(session, students)
    if kind == "staff":
        return await _ids(session, staff)
    if kind == "tutors":
        tutors = select(col(GroupTutor.staff_id))
        return await _ids(session, staff.where(col(Staff.id).in_(tutors)))
    if kind == "group":
        group_ids = await _group_ids(session, values)
        if limit_to_groups is not None and not set(group_ids) <= limit_to_groups:
            raise AudienceError(N_("Tutors can send only to their own groups."))
        return await _ids(session, students.where(col(StudyGroup.id).in_(group_ids)))
    if kind == "course":
        courses = [_course(value) for value in values]
        return await _ids(session, students.where(col(StudyGroup.course).in_(courses)))
    if kind == "programme":
        programme_ids = await _code_ids(session, Programme, values)
        return await _ids(session, students.where(col(StudyGroup.programme_id).in_(programme_ids)))
    if kind == "building":
        ids = await _code_ids(session, Building, values)
        in_building = students.where(col(StudyGroup.home_building_id).in_(ids))
        working_there = staff.where(col(Staff.main_building_id).in_(ids))
        return await _ids(session, in_building) | await _ids(session, working_there)
    # dorm: every resident, or the residents of the named dormitory buildings
    residents = students.where(col(Student.dorm_building_id).is_not(None))
    if values:
        dorm_ids = await _code_ids(session, Building, values)
        residents = residents.where(col(Student.dorm_building_id).in_(dorm_ids))
    return await _ids(session, residents)


def _student_chats() -> SelectOfScalar[int]:
    return (
        select(col(TelegramAccount.telegram_id))
        .join(Student, col(Student.id) == col(TelegramAccount.student_id))
        .join(StudyGroup, col(StudyGroup.id) == col(Student.group_id))
        .where(col(TelegramAccount.blocked).is_(False))
        .where(col(Student.status) == StudentStatus.ACTIVE)
        .where(col(StudyGroup.bot_access).is_(True))
    )


def _staff_chats() -> SelectOfScalar[int]:
    return (
        select(col(TelegramAccount.telegram_id))
        .join(Staff, col(Staff.id) == col(TelegramAccount.staff_id))
        .where(col(TelegramAccount.blocked).is_(False))
        .where(col(Staff.active).is_(True))
    )


async def _ids(session: AsyncSession, query: SelectOfScalar[int]) -> set[int]:
    return {int(chat) for chat in (await session.scalars(query)).all()}


async def _group_ids(session: AsyncSession, codes: list[str]) -> list[int]:
    keys = {group_key(code): code for code in codes}
    rows = await session.execute(
        select(col(StudyGroup.id), col(StudyGroup.code_key)).where(
            col(StudyGroup.code_key).in_(keys)
        )
    )
    found = {str(key): int(group_id) for group_id, key in rows.all() if group_id is not None}
    missing = [code for key, code in keys.items() if key not in found]
    if missing:
        raise AudienceError(N_("No group {code}."), code=missing[0])
    return list(found.values())


async def _code_ids(
    session: AsyncSession, table: type[Programme] | type[Building], codes: list[str]
) -> list[int]:
    wanted = {code.casefold(): code for code in codes}
    rows = await session.execute(select(col(table.id), col(table.code)))
    found = {str(code).casefold(): int(row_id) for row_id, code in rows.all() if row_id}
    missing = [code for key, code in wanted.items() if key not in found]
    if missing:
        raise AudienceError(N_("No programme or building with the code {code}."), code=missing[0])
    return [found[key] for key in wanted]


def _course(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 6:  # "²" is a digit
        raise AudienceError(N_("A course is a number from 1 to 6, not {value}."), value=value)
    return int(value)
