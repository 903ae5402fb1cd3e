"""Marks of a month: per subject with averages, failing marks, subjects still without a mark."""

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.attendance_queries import Month
from models.marks import Mark, MarkKind
from models.school import Student, StudentStatus, Subject


@dataclass
class SubjectMarks:
    """One subject's marks in the month, in date order."""

    subject: str
    values: list[str] = field(default_factory=list)
    scores: list[int] = field(default_factory=list)
    attestation: str = ""

    @property
    def average(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None


@dataclass
class StudentMarks:
    month: Month
    subjects: list[SubjectMarks]
    without_marks: list[str]  # subjects taught to the group this month with no mark yet


async def student_marks(
    session: AsyncSession, *, student_id: int, month: Month, taught: Collection[str]
) -> StudentMarks:
    """A student's marks of a month, and the taught subjects that have none yet."""
    rows = await session.execute(
        select(col(Mark.kind), col(Mark.value), col(Mark.score), col(Subject.name_lv))
        .join(Subject, col(Subject.id) == col(Mark.subject_id))
        .where(
            col(Mark.student_id) == student_id,
            col(Mark.date).between(month.first, month.last),
        )
        .order_by(col(Mark.date))
    )
    subjects: dict[str, SubjectMarks] = {}
    for kind, value, score, name in rows.all():
        entry = subjects.setdefault(name, SubjectMarks(name))
        if kind == MarkKind.ATTESTATION:
            entry.attestation = value
            continue
        entry.values.append(value)
        if score is not None:
            entry.scores.append(score)
    missing = sorted(name for name in taught if name not in subjects)
    return StudentMarks(month, sorted(subjects.values(), key=lambda s: s.subject), missing)


@dataclass
class GroupMarksRow:
    student_id: int
    name: str
    scores: list[int] = field(default_factory=list)
    failing: int = 0

    @property
    def average(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None


async def group_marks(
    session: AsyncSession, *, group_id: int, month: Month, failing_below: int
) -> list[GroupMarksRow]:
    """Each active student's average and failing marks in the month, weakest first."""
    found = await session.execute(
        select(col(Student.id), col(Student.first_name), col(Student.last_name), col(Mark.score))
        .outerjoin(
            Mark,
            (col(Mark.student_id) == col(Student.id))
            & col(Mark.date).between(month.first, month.last)
            & col(Mark.score).is_not(None)
            & (col(Mark.kind) != MarkKind.ATTESTATION),
        )
        .where(col(Student.group_id) == group_id, col(Student.status) == StudentStatus.ACTIVE)
    )
    rows: dict[int, GroupMarksRow] = {}
    for ident, first, last, score in found.all():
        row = rows.setdefault(ident or 0, GroupMarksRow(ident or 0, f"{last} {first}"))
        if score is not None:
            row.scores.append(score)
            row.failing += score < failing_below
    return sorted(rows.values(), key=lambda r: (-r.failing, r.average or 99, r.name))
