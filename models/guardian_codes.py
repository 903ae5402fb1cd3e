"""Guardian link codes: one for each active guardian of a group's students, or of one student."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.guardians import Guardianship, GuardianshipStatus
from models.link_policy import LinkPolicy
from models.link_results import IssuedCode
from models.linking import issue_code
from models.school import Student, StudentStatus, StudyGroup
from models.text import fold


async def issue_guardian_codes(
    session: AsyncSession,
    *,
    group: StudyGroup | None = None,
    student_number: str | None = None,
    ttl_days: int,
    now: datetime,
    policy: LinkPolicy,
) -> list[IssuedCode]:
    """Issue a code for every active guardian of a group's (or one student's) active students.

    The codes come in the students' name order; each names the guardian, the student and the
    group, so the sheet says for whom it is.
    """
    query = (
        select(Guardianship, Student, col(StudyGroup.code))
        .join(Student, col(Student.id) == col(Guardianship.student_id))
        .join(StudyGroup, col(StudyGroup.id) == col(Student.group_id))
        .where(
            col(Guardianship.status) == GuardianshipStatus.ACTIVE,
            col(Student.status) == StudentStatus.ACTIVE,
        )
    )
    if group is not None:
        query = query.where(col(Student.group_id) == group.id)
    if student_number is not None:
        query = query.where(col(Student.student_number) == student_number)
    # Sorted in Python: 'Ā' after 'A', as the student code sheets are.
    rows = sorted(
        (await session.execute(query)).all(),
        key=lambda r: (fold(r[1].last_name), fold(r[1].first_name), r[0].name_key),
    )
    issued = []
    for guardianship, student, group_code in rows:
        code = await issue_code(
            session, guardianship_id=guardianship.id, ttl_days=ttl_days, now=now, policy=policy
        )
        number, name = student.student_number, student.full_name
        issued.append(IssuedCode(guardianship.name, number, group_code, code, name))
    return issued


async def add_guardianship(
    session: AsyncSession, *, student_id: int, name: str, added_by: str
) -> Guardianship:
    """Add a guardian to a student (a tutor's addition), or find the one of that name.

    A guardianship the school had ended is active again: the tutor added it on purpose (and
    the audit log says who).
    """
    key = fold(name)
    found = await session.scalar(
        select(Guardianship).where(
            col(Guardianship.student_id) == student_id, col(Guardianship.name_key) == key
        )
    )
    if found is None:
        found = Guardianship(student_id=student_id, name=name, name_key=key, added_by=added_by)
        session.add(found)
    found.status = GuardianshipStatus.ACTIVE
    await session.flush()
    return found
