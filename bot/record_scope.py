"""Whose records a question may show: a student's own, a tutor's groups, any for admins."""

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.access import Viewer, require
from models.school import Student, StudyGroup
from models.text import group_key


@dataclass
class Scope:
    """A student's own records, or the groups whose tables the viewer may see."""

    student: Student | None = None
    groups: list[StudyGroup] = field(default_factory=list)
    unknown: str = ""  # an admin named a group that does not exist


async def scope_for(session: AsyncSession, viewer: Viewer, argument: str) -> Scope:
    """Decide what the viewer sees; raise AccessDenied for anything beyond their records."""
    argument = argument.strip()[:50]
    if argument:
        group = await session.scalar(
            select(StudyGroup).where(col(StudyGroup.code_key) == group_key(argument))
        )
        if group is None or group.id is None:
            require(viewer.is_admin, f"records of {argument}")  # others learn nothing either way
            return Scope(unknown=argument)
        require(viewer.may_view_group(group.id), f"records of {argument}")
        return Scope(groups=[group])
    if viewer.student_id is not None:
        return Scope(student=await session.get(Student, viewer.student_id))
    if viewer.tutor_group_ids:
        groups = await session.scalars(
            select(StudyGroup)
            .where(col(StudyGroup.id).in_(list(viewer.tutor_group_ids)))
            .order_by(col(StudyGroup.code))
        )
        return Scope(groups=list(groups))
    return Scope()


async def student_in_view(session: AsyncSession, viewer: Viewer, student_id: int) -> Student:
    """Load one student for a detail view, refusing anyone the viewer may not see."""
    student = await session.get(Student, student_id)
    require(student is not None and viewer.may_view_student(student), f"student:{student_id}")
    assert student is not None
    return student


def meter(value: int, limit: int, width: int = 10) -> str:
    """A text bar of how close a count is to its limit: '▓▓▓▓░░░░░░ 4/8'."""
    filled = width if limit <= 0 else min(width, round(width * value / limit))
    return "▓" * filled + "░" * (width - filled) + f" {value}/{limit}"
