"""Absence counts: one student's month and semester, and a group's table, in a few queries."""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy import select as sa_select  # five columns: beyond sqlmodel's overloads
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.absence_limits import AbsenceLimits, AbsenceStanding, absence_standing
from models.attendance import Absence, AbsenceStatus
from models.school import Student, StudentStatus, Subject

TABLE_ROWS = 40  # a group's table lists at most this many students, most unexcused first


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, the unit absences are counted in."""

    year: int
    month: int

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return self.shift(1).first - dt.timedelta(days=1)

    def shift(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> "Month | None":
        """Read "2026-10"; None for anything else, including months out of range."""
        try:
            year, month = (int(part) for part in text.split("-"))
        except ValueError:
            return None
        return cls(year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None

    def next_until(self, current: "Month") -> "Month | None":
        """The month after this one, unless it is later than the current month."""
        following = self.shift(1)
        return following if following <= current else None

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def semester_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The school's half-year holding a day: September-December, or January-August."""
    if day.month >= 9:
        return dt.date(day.year, 9, 1), dt.date(day.year, 12, 31)
    return dt.date(day.year, 1, 1), dt.date(day.year, 8, 31)


@dataclass
class Counts:
    """Lessons missed by status."""

    excused: int = 0
    unexcused: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.excused + self.unexcused + self.pending

    def add(self, status: str, count: int) -> None:
        if status == AbsenceStatus.EXCUSED:
            self.excused += count
        elif status == AbsenceStatus.UNEXCUSED:
            self.unexcused += count
        else:
            self.pending += count


@dataclass
class StudentAbsences:
    """One student's month: totals, by subject and by ISO week; and the semester's totals."""

    month: Month
    counts: Counts
    semester: Counts
    limits: AbsenceLimits
    by_subject: dict[str, Counts] = field(default_factory=dict)
    by_week: dict[int, Counts] = field(default_factory=dict)

    @property
    def standing(self) -> AbsenceStanding:
        return absence_standing(
            month=self.counts.unexcused, semester=self.semester.unexcused, limits=self.limits
        )


async def student_absences(
    session: AsyncSession, *, student_id: int, month: Month, limits: AbsenceLimits
) -> StudentAbsences:
    """Count a student's absences in a month (by subject and week) and in its semester."""
    first, last = semester_of(month.first)
    rows = await session.execute(
        select(col(Absence.date), col(Absence.status), col(Subject.name_lv))
        .outerjoin(Subject, col(Subject.id) == col(Absence.subject_id))
        .where(col(Absence.student_id) == student_id, col(Absence.date).between(first, last))
    )
    result = StudentAbsences(month, Counts(), Counts(), limits)
    for day, status, subject in rows.all():
        result.semester.add(status, 1)
        if not month.first <= day <= month.last:
            continue
        result.counts.add(status, 1)
        result.by_subject.setdefault(subject or "—", Counts()).add(status, 1)
        result.by_week.setdefault(day.isocalendar().week, Counts()).add(status, 1)
    return result


@dataclass
class GroupRow:
    """One student of a group with their month's counts and their standing."""

    student_id: int
    name: str
    counts: Counts
    semester_unexcused: int
    standing: AbsenceStanding


@dataclass
class GroupTable:
    """A group's month: the students listed, and how many more were left out of the table."""

    rows: list[GroupRow]
    left_out: int = 0


async def group_absences(
    session: AsyncSession, *, group_id: int, month: Month, limits: AbsenceLimits
) -> GroupTable:
    """Active students of a group with their month's counts, most unexcused first.

    The semester's unexcused lessons come along, so the standing weighs both limits.
    """
    first, last = semester_of(month.first)
    in_month = col(Absence.date).between(month.first, month.last)
    counts = await session.execute(
        sa_select(
            col(Student.id),
            col(Student.first_name),
            col(Student.last_name),
            col(Absence.status),
            func.count(col(Absence.id)).filter(in_month),
            func.count(col(Absence.id)),
        )
        .outerjoin(
            Absence,
            (col(Absence.student_id) == col(Student.id)) & col(Absence.date).between(first, last),
        )
        .where(col(Student.group_id) == group_id, col(Student.status) == StudentStatus.ACTIVE)
        .group_by(
            col(Student.id), col(Student.first_name), col(Student.last_name), col(Absence.status)
        )
    )
    names: dict[int, str] = {}
    months: dict[int, Counts] = {}
    semesters: dict[int, int] = {}
    for found, first_name, last_name, status, in_the_month, in_the_semester in counts.all():
        ident = found or 0  # ids are never None here
        names[ident] = f"{last_name} {first_name}"
        months.setdefault(ident, Counts())
        semesters.setdefault(ident, 0)
        if status is not None:
            months[ident].add(status, int(in_the_month))
        if status == AbsenceStatus.UNEXCUSED:
            semesters[ident] += int(in_the_semester)
    rows = [
        GroupRow(
            ident,
            name,
            months[ident],
            semesters[ident],
            absence_standing(
                month=months[ident].unexcused, semester=semesters[ident], limits=limits
            ),
        )
        for ident, name in names.items()
    ]
    ordered = sorted(rows, key=lambda r: (-r.counts.unexcused, -r.counts.total, r.name))
    return GroupTable(ordered[:TABLE_ROWS], max(0, len(ordered) - TABLE_ROWS))
