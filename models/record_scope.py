"""Whose records a question may show: a student's own, a tutor's groups, any for admins.

A guardian sees their chosen student's own records, the same view, while they are shared.

One decision for the four features that show personal records (absences, marks, practice
and the digest): the handlers ask it and render what it allows, or why there is nothing.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.access import GroupRef, StudentRef, Viewer, require
from models.practice import Placement
from models.school import Student, StudyGroup
from models.text import group_key


class Records(StrEnum):
    """The kinds of personal records a viewer asks for."""

    ABSENCES = "absences"
    MARKS = "marks"
    PRACTICE = "practice"
    DIGEST = "digest"


class Nothing(StrEnum):
    """Why a scope holds no records, so the answer can say what to do instead."""

    NOT_LINKED = "not_linked"  # a visitor: link the account first
    NAME_A_GROUP = "name_a_group"  # an admin sees any group, but must name one
    NO_RECORDS = "no_records"  # a linked person with no records of this kind (a teacher)
    TUTORS_ONLY = "tutors_only"  # the digest, asked for by someone who tutors no group
    NOT_SHARED = "not_shared"  # a guardian whose chosen student is an adult who did not allow it


@dataclass
class Scope:
    """A student's own records, the groups, or the supervised students the viewer may see."""

    student: StudentRef | None = None
    groups: list[GroupRef] = field(default_factory=list)
    supervised: list[int] = field(default_factory=list)  # students whose practice they supervise
    unknown: str = ""  # an admin named a group that does not exist
    nothing: Nothing | None = None


async def scope_for(
    session: AsyncSession, viewer: Viewer, argument: str, records: Records
) -> Scope:
    """Decide what the viewer sees; raise AccessDenied for anything beyond their records.

    Without an argument the viewer's own records need no query (registration loaded them),
    except a practice supervisor's students.
    """
    argument = argument.strip()[:50]
    if argument:
        return await _named_group(session, viewer, argument)
    if records is Records.DIGEST:
        if viewer.tutor_groups:
            return Scope(groups=list(viewer.tutor_groups))
        return Scope(nothing=Nothing.NAME_A_GROUP if viewer.is_admin else Nothing.TUTORS_ONLY)
    if viewer.student is not None:
        return Scope(student=viewer.student)
    if viewer.is_guardian:
        return Scope(nothing=Nothing.NOT_SHARED)
    supervised = []
    if records is Records.PRACTICE and viewer.staff_id is not None:
        supervised = await _supervised_students(session, staff_id=viewer.staff_id)
    if viewer.tutor_groups or supervised:
        return Scope(groups=list(viewer.tutor_groups), supervised=supervised)
    if viewer.is_admin:
        return Scope(nothing=Nothing.NAME_A_GROUP)
    return Scope(nothing=Nothing.NO_RECORDS if viewer.is_linked else Nothing.NOT_LINKED)


async def _named_group(session: AsyncSession, viewer: Viewer, argument: str) -> Scope:
    """A group named in the question, if the viewer may see it."""
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


async def _supervised_students(session: AsyncSession, *, staff_id: int) -> list[int]:
    """The students whose placements name this staff member as supervisor at school."""
    found = await session.scalars(
        select(Placement.student_id)
        .where(col(Placement.school_supervisor_id) == staff_id)
        .distinct()
    )
    return sorted(found)


async def student_in_view(session: AsyncSession, viewer: Viewer, student_id: int) -> StudentRef:
    """Load one student for a detail view, refusing anyone the viewer may not see."""
    student = await session.get(Student, student_id)
    found = StudentRef(student_id, student.full_name, student.group_id) if student else None
    require(found is not None and viewer.may_view_student(found), f"student:{student_id}")
    assert found is not None
    return found
