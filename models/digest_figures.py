"""A group's month as the digest shows it: each student's line, the totals, last month's."""

from dataclasses import dataclass, field

from models.absence_limits import over_limit
from models.attendance_queries import Counts, Month


@dataclass
class StudentLine:
    """One student's month."""

    student_id: int
    name: str
    weeks: dict[int, Counts] = field(default_factory=dict)
    absences: Counts = field(default_factory=Counts)
    averages: dict[str, float] = field(default_factory=dict)  # subject -> average score
    attestations: dict[str, str] = field(default_factory=dict)
    failing: list[str] = field(default_factory=list)  # subjects with a failing mark
    missing: list[str] = field(default_factory=list)  # subjects without any mark
    on_practice: bool = False


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
        return [s for s in self.students if over_limit(s.absences.unexcused, limit)]
