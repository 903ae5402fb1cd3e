"""The monthly digest's figures for groups: absences by week, marks, flags, last month's totals.

A handful of queries per call, whatever the number of groups and students.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy import select as sa_select  # five columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.attendance import Absence
from models.attendance_summary import Counts, Month
from models.marks import Mark, MarkKind
from models.practice import Placement
from models.school import Building, Programme, Student, StudentStatus, StudyGroup, Subject
from models.timetable import TimetableEntry


@dataclass
class StudentLine:
    """One student's month."""

    student_id: int
    name: str
    weeks: dict[int, Counts] = field(default_factory=dict)
    absences: Counts = field(default_factory=Counts)
    marks: dict[str, list[int]] = field(default_factory=dict)  # subject -> scores
    attestations: dict[str, str] = field(default_factory=dict)
    failing: list[str] = field(default_factory=list)  # subjects with a failing mark
    missing: list[str] = field(default_factory=list)  # subjects without any mark
    on_practice: bool = False

    def average(self, subject: str) -> float | None:
        scores = self.marks.get(subject, [])
        return sum(scores) / len(scores) if scores else None


@dataclass
class GroupDigest:
    """A group's month: every student, the totals and last month's totals."""

    group_id: int
    code: str
    month: Month
    weeks: list[int]
    subjects: list[str]
    students: list[StudentLine]
    totals: Counts = field(default_factory=Counts)
    previous: Counts = field(default_factory=Counts)
    course: int = 0
    building: str = ""  # the group's home building, by code
    programme: str = ""  # the programme's code

    def over_limit(self, limit: int) -> list[StudentLine]:
        return [s for s in self.students if s.absences.unexcused > limit]


async def build_digests(
    session: AsyncSession, *, month: Month, failing_below: int, group_ids: list[int] | None = None
) -> list[GroupDigest]:
    """Digests of the given groups (all groups with active students if None), in code order."""
    group_query = select(StudyGroup).order_by(col(StudyGroup.code))
    if group_ids is not None:
        group_query = group_query.where(col(StudyGroup.id).in_(group_ids))
    groups = {g.id: g for g in await session.scalars(group_query) if g.id is not None}
    students = (
        await session.execute(
            select(col(Student.id), col(Student.group_id), col(Student.first_name),
                   col(Student.last_name))
            .where(col(Student.group_id).in_(list(groups)),
                   col(Student.status) == StudentStatus.ACTIVE)
            .order_by(col(Student.last_name), col(Student.first_name))
        )
    ).all()  # fmt: skip
    lines: dict[int, StudentLine] = {}
    by_group: dict[int, list[StudentLine]] = defaultdict(list)
    for ident, group_id, first, last in students:
        line = StudentLine(int(ident or 0), f"{last} {first}")
        lines[line.student_id] = line
        by_group[group_id].append(line)
    weeks = sorted({d.isocalendar().week for d in _days(month)}, key=lambda w: (w < 10, w))
    absences = await session.execute(
        select(col(Absence.student_id), col(Absence.date), col(Absence.status)).where(
            col(Absence.student_id).in_(list(lines)),
            col(Absence.date).between(month.first, month.last),
        )
    )
    for student_id, day, status in absences.all():
        line = lines[student_id]
        line.absences.add(status, 1)
        line.weeks.setdefault(day.isocalendar().week, Counts()).add(status, 1)
    previous = month.shift(-1)
    before = await session.execute(
        select(col(Student.group_id), col(Absence.status), func.count())
        .join(Student, col(Student.id) == col(Absence.student_id))
        .where(
            col(Absence.student_id).in_(list(lines)),
            col(Absence.date).between(previous.first, previous.last),
        )
        .group_by(col(Student.group_id), col(Absence.status))
    )
    previous_totals: dict[int, Counts] = defaultdict(Counts)
    for group_id, status, count in before.all():
        previous_totals[group_id].add(status, int(count))
    marks = await session.execute(
        sa_select(col(Mark.student_id), col(Subject.name_lv), col(Mark.kind), col(Mark.value),
               col(Mark.score))
        .join(Subject, col(Subject.id) == col(Mark.subject_id))
        .where(col(Mark.student_id).in_(list(lines)),
               col(Mark.date).between(month.first, month.last))
    )  # fmt: skip
    for student_id, subject, kind, value, score in marks.all():
        line = lines[student_id]
        if kind == MarkKind.ATTESTATION:
            line.attestations[subject] = value
        elif score is not None:
            line.marks.setdefault(subject, []).append(score)
            if score < failing_below and subject not in line.failing:
                line.failing.append(subject)
    taught = await session.execute(
        select(col(TimetableEntry.group_id), col(Subject.name_lv))
        .join(Subject, col(Subject.id) == col(TimetableEntry.subject_id))
        .where(
            col(TimetableEntry.group_id).in_(list(groups)),
            col(TimetableEntry.valid_from) <= month.last,
            col(TimetableEntry.valid_to) >= month.first,
            col(Subject.grading) == "10",
        )
        .distinct()
    )
    subjects: dict[int, set[str]] = defaultdict(set)
    for group_id, subject in taught.all():
        subjects[group_id].add(subject)
    practising = set(
        await session.scalars(
            select(Placement.student_id).where(
                col(Placement.student_id).in_(list(lines)),
                col(Placement.start_date) <= month.last,
                col(Placement.end_date) >= month.first,
            )
        )
    )
    buildings = dict((await session.execute(select(col(Building.id), col(Building.code)))).all())
    programmes = dict((await session.execute(select(col(Programme.id), col(Programme.code)))).all())
    digests = []
    for group_id, group in groups.items():
        members = by_group.get(group_id, [])
        if not members:
            continue
        names = sorted(subjects[group_id] | {s for m in members for s in m.marks})
        digest = GroupDigest(group_id, group.code, month, weeks, names, members)
        digest.course = group.course
        digest.building = buildings.get(group.home_building_id or 0, "")
        digest.programme = programmes.get(group.programme_id or 0, "")
        digest.previous = previous_totals[group_id]
        for line in members:
            line.on_practice = line.student_id in practising
            line.missing = [s for s in sorted(subjects[group_id]) if s not in line.marks]
            for status in ("excused", "unexcused", "pending"):
                digest.totals.add(status, getattr(line.absences, status))
        digests.append(digest)
    return digests


def _days(month: Month) -> list[dt.date]:
    return [month.first + dt.timedelta(days=n) for n in range((month.last - month.first).days + 1)]
