"""Whose records a question may show: a student's own, a tutor's groups, any for admins."""

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.access import GroupRef, StudentRef, Viewer, require
from models.school import Student, StudyGroup
from models.text import group_key


@dataclass
class Scope:
    """A student's own records, or the groups whose tables the viewer may see."""

    student: StudentRef | None = None
    groups: list[GroupRef] = field(default_factory=list)
    unknown: str = ""  # an admin named a group that does not exist


async def scope_for(session: AsyncSession, viewer: Viewer, argument: str) -> Scope:
    """Decide what the viewer sees; raise AccessDenied for anything beyond their records.

    Without an argument the viewer's own records need no query: registration loaded them.
    """
    argument = argument.strip()[:50]
    if argument:
        group = (
            await session.execute(
                select(col(StudyGroup.id), col(StudyGroup.code)).where(
                    col(StudyGroup.code_key) == group_key(argument)
                )
            )
        ).first()
        if group is None or group[0] is None:
            require(viewer.is_admin, f"records of {argument}")  # others learn nothing either way
            return Scope(unknown=argument)
        require(viewer.may_view_group(group[0]), f"records of {argument}")
        return Scope(groups=[GroupRef(group[0], group[1])])
    if viewer.student is not None:
        return Scope(student=viewer.student)
    return Scope(groups=list(viewer.tutor_groups))


async def student_in_view(session: AsyncSession, viewer: Viewer, student_id: int) -> StudentRef:
    """Load one student for a detail view, refusing anyone the viewer may not see."""
    student = await session.get(Student, student_id)
    found = StudentRef(student_id, student.full_name, student.group_id) if student else None
    require(found is not None and viewer.may_view_student(found), f"student:{student_id}")
    assert found is not None
    return found


def meter(value: int, limit: int, width: int = 10) -> str:
    """A text bar of how close a count is to its limit: '▓▓▓▓░░░░░░ 4/8'."""
    filled = width if limit <= 0 else min(width, round(width * value / limit))
    return "▓" * filled + "░" * (width - filled) + f" {value}/{limit}"
