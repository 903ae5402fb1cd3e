"""The monthly digest's figures for groups: absences by week, marks, flags, last month's totals.

A handful of queries per call, whatever the number of groups and students: they pick their
students by joining to them (never a list of ids), and the database counts and averages. Rows
are read a chunk at a time, so a large school's figures never hold up the event loop for long.
"""

import asyncio
import datetime as dt
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, case, func
from sqlalchemy import select as sa_select  # five columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped
from sqlmodel import col, select

from models.attendance import Absence, AbsenceStatus
from models.attendance_queries import Counts, Month
from models.digest_figures import GroupDigest, StudentLine
from models.marks import Mark, MarkKind
from models.practice import Placement
from models.school import Building, Programme, Student, StudentStatus, StudyGroup, Subject
from models.timetable import TimetableEntry

_Row = TypeVarTuple("_Row")


async def build_digests(
    session: AsyncSession, *, month: Month, failing_below: int, group_ids: list[int] | None = None
) -> list[GroupDigest]:
    """Digests of the given groups (all groups with active students if None), in code order."""
    # Core rows: the ORM's bookkeeping for each of the hundreds of thousands of rows of a large
    # school costs seconds, and these are plain numbers.
    connection = await session.connection()
    scope = _Scope(month, group_ids)
    lines, by_group = await _students(connection, scope)
    weeks = await _add_absences(connection, scope, lines)
    await _add_marks(connection, scope, lines, failing_below=failing_below)
    await _add_practice(connection, scope, lines)
    previous = await _previous_totals(connection, scope)
    taught = await _taught(connection, scope)
    digests = []
    groups = await _groups(connection, scope)
    for number, (group_id, code, course, building, programme) in enumerate(groups, start=1):
        if number % 10 == 0:
            await asyncio.sleep(0)  # let the event loop run between a large school's groups
        members = by_group.get(group_id)
        if not members:
            continue
        subjects = sorted(taught[group_id])
        for line in members:
            line.missing = [s for s in subjects if s not in line.averages]
        names = sorted(set(subjects).union(*(m.averages for m in members)))
        digest = GroupDigest(
            group_id,
            code,
            month,
            weeks,
            names,
            members,
            course=course,
            building=building or "",
            programme=programme or "",
        )
        digest.previous = previous.get(group_id, Counts())
        for line in members:
            digest.totals.excused += line.absences.excused
            digest.totals.unexcused += line.absences.unexcused
            digest.totals.pending += line.absences.pending
        digests.append(digest)
    return digests


@dataclass(frozen=True)
class _Scope:
    """The month and the students a call is about: the active ones, of some groups or all."""

    month: Month
    group_ids: list[int] | None

    def chosen(self) -> list[ColumnElement[bool]]:
        """The conditions on Student of the chosen students."""
        conditions = [col(Student.status) == StudentStatus.ACTIVE]
        if self.group_ids is not None:
            conditions.append(col(Student.group_id).in_(self.group_ids))
        return conditions

    def students(self, student_id: Any) -> ColumnElement[bool]:
        """The join condition from a row's student id to a chosen student."""
        return and_(col(Student.id) == student_id, *self.chosen())


Lines = dict[int, StudentLine]  # by student id


async def _students(
    connection: AsyncConnection, scope: _Scope
) -> tuple[Lines, dict[int, list[StudentLine]]]:
    """Each chosen student's line, by student id and by group id, in name order."""
    query = (
        select(
            col(Student.id), col(Student.group_id), col(Student.first_name), col(Student.last_name)
        )
        .where(*scope.chosen())
        .order_by(col(Student.last_name), col(Student.first_name))
    )
    lines: Lines = {}
    by_group: dict[int, list[StudentLine]] = defaultdict(list)
    async for chunk in _chunks(connection, query):
        for ident, group_id, first, last in chunk:
            line = StudentLine(ident or 0, f"{last} {first}")  # ids are never None here
            lines[line.student_id] = line
            by_group[group_id].append(line)
    return lines, by_group


# The queries below may see a student who became active after _students read them (SQLite reads
# are not one snapshot): they have no line, and lines.get() skips them.


async def _add_absences(connection: AsyncConnection, scope: _Scope, lines: Lines) -> list[int]:
    """Count each student's absences, in all and by ISO week; return the month's weeks."""
    month = scope.month
    ends = {day.isocalendar().week: day for day in _days(month)}  # week -> its last day here
    weeks = list(ends)
    week = case(*((col(Absence.date) <= ends[w], w) for w in weeks[:-1]), else_=weeks[-1])
    lessons = (
        select(col(Absence.student_id), col(Absence.status), week.label("week"))
        .join(Student, scope.students(col(Absence.student_id)))
        .where(col(Absence.date).between(month.first, month.last))
        .subquery()
    )
    query = sa_select(lessons.c.student_id, lessons.c.week, *_by_status(lessons.c.status)).group_by(
        lessons.c.student_id, lessons.c.week
    )
    async for chunk in _chunks(connection, query):
        for student_id, week_number, excused, unexcused, missed in chunk:
            if line := lines.get(student_id):
                line.weeks[week_number] = Counts(excused, unexcused, missed - excused - unexcused)
                line.absences.excused += excused
                line.absences.unexcused += unexcused
                line.absences.pending += missed - excused - unexcused
    return weeks


async def _previous_totals(connection: AsyncConnection, scope: _Scope) -> dict[int, Counts]:
    """Each group's absences of the month before, by group id."""
    previous = scope.month.shift(-1)
    rows = await connection.execute(
        sa_select(col(Student.group_id), *_by_status(col(Absence.status)))
        .join(Student, scope.students(col(Absence.student_id)))
        .where(col(Absence.date).between(previous.first, previous.last))
        .group_by(col(Student.group_id))
    )
    return {
        group_id: Counts(excused, unexcused, missed - excused - unexcused)
        for group_id, excused, unexcused, missed in rows.all()
    }


async def _add_marks(
    connection: AsyncConnection,
    scope: _Scope,
    lines: Lines,
    *,
    failing_below: int,
) -> None:
    """Add each student's average and attestation per subject, and the subjects failed."""
    month = scope.month

    def of_month(query: Select[*_Row]) -> Select[*_Row]:
        query = query.join(Subject, col(Subject.id) == col(Mark.subject_id)).where(
            col(Mark.date).between(month.first, month.last)
        )
        if scope.group_ids is None:
            # Every group: skipping the few inactive students' marks (lines.get) is faster
            # than joining each of the month's marks to its student.
            return query
        return query.join(Student, scope.students(col(Mark.student_id)))

    scored = (
        of_month(
            sa_select(
                col(Mark.student_id),
                col(Subject.name_lv),
                func.count(),
                func.sum(col(Mark.score)),
                func.min(col(Mark.score)),
            )
        )
        .where(col(Mark.kind) != MarkKind.ATTESTATION, col(Mark.score).is_not(None))
        .group_by(col(Mark.student_id), col(Subject.name_lv))
        .order_by(col(Mark.student_id), col(Subject.name_lv))
    )
    async for chunk in _chunks(connection, scored):
        for student_id, subject, count, total, lowest in chunk:
            if line := lines.get(student_id):
                assert total is not None and lowest is not None  # only marks with a score
                line.averages[subject] = total / count
                if lowest < failing_below:
                    line.failing.append(subject)
    attestations = (
        of_month(sa_select(col(Mark.student_id), col(Subject.name_lv), col(Mark.value)))
        .where(col(Mark.kind) == MarkKind.ATTESTATION)
        .order_by(col(Mark.date), col(Mark.id))  # the month's last attestation counts
    )
    async for chunk in _chunks(connection, attestations):
        for student_id, subject, value in chunk:
            if line := lines.get(student_id):
                line.attestations[subject] = value


async def _add_practice(connection: AsyncConnection, scope: _Scope, lines: Lines) -> None:
    """Flag the students on a placement at some time in the month."""
    month = scope.month
    query = (
        select(col(Placement.student_id))
        .join(Student, scope.students(col(Placement.student_id)))
        .where(col(Placement.start_date) <= month.last, col(Placement.end_date) >= month.first)
    )
    async for chunk in _chunks(connection, query):
        for (student_id,) in chunk:
            if line := lines.get(student_id):
                line.on_practice = True


async def _taught(connection: AsyncConnection, scope: _Scope) -> dict[int, set[str]]:
    """The 10-point subjects each group has in its timetable during the month."""
    month = scope.month
    query = (
        select(col(TimetableEntry.group_id), col(Subject.name_lv))
        .join(Subject, col(Subject.id) == col(TimetableEntry.subject_id))
        .where(
            col(TimetableEntry.valid_from) <= month.last,
            col(TimetableEntry.valid_to) >= month.first,
            col(Subject.grading) == "10",
        )
        .distinct()
    )
    if scope.group_ids is not None:
        query = query.where(col(TimetableEntry.group_id).in_(scope.group_ids))
    taught: dict[int, set[str]] = defaultdict(set)
    for group_id, subject in (await connection.execute(query)).all():
        taught[group_id].add(subject)
    return taught


async def _groups(connection: AsyncConnection, scope: _Scope) -> Sequence[Any]:
    """Each group's id, code, course year, home building and programme, in code order."""
    query = (
        sa_select(
            col(StudyGroup.id),
            col(StudyGroup.code),
            col(StudyGroup.course),
            col(Building.code),
            col(Programme.code),
        )
        .outerjoin(Building, col(Building.id) == col(StudyGroup.home_building_id))
        .outerjoin(Programme, col(Programme.id) == col(StudyGroup.programme_id))
        .order_by(col(StudyGroup.code))
    )
    if scope.group_ids is not None:
        query = query.where(col(StudyGroup.id).in_(scope.group_ids))
    return (await connection.execute(query)).all()


async def _chunks(connection: AsyncConnection, query: Any) -> AsyncIterator[Sequence[Any]]:
    """The query's rows 2,000 at a time (a few ms of work), fetched while the loop goes on."""
    result = await connection.stream(query)
    async for chunk in result.partitions(2000):
        yield chunk


def _by_status(
    status: ColumnElement[str] | Mapped[str],
) -> tuple[ColumnElement[int], ColumnElement[int], ColumnElement[int]]:
    """Excused, unexcused and all lessons missed; any other status counts as not decided."""
    return (
        func.count().filter(status == AbsenceStatus.EXCUSED),
        func.count().filter(status == AbsenceStatus.UNEXCUSED),
        func.count(),
    )


def _days(month: Month) -> list[dt.date]:
    return [month.first + dt.timedelta(days=n) for n in range((month.last - month.first).days + 1)]
