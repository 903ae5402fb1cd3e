"""The absence status: a student's unexcused lessons against the month and semester limits."""

from dataclasses import dataclass

NEAR_MONTH = 2  # this many lessons or fewer below the monthly limit earn a warning
NEAR_SEMESTER = 5  # the same for the semester limit


@dataclass(frozen=True)
class AbsenceLimits:
    """The school's limits of unexcused lessons: a month's and a semester's."""

    month: int
    semester: int


def over_limit(unexcused: int, limit: int) -> bool:
    """Say whether a count of unexcused lessons is over a limit (reaching it is allowed)."""
    return unexcused > limit


def _left_before(unexcused: int, limit: int, near: int) -> int | None:
    """Lessons still allowed before the limit is passed, when that is near; else None."""
    if limit <= 0 or over_limit(unexcused, limit) or unexcused < limit - near:
        return None
    return limit - unexcused + 1


@dataclass(frozen=True)
class AbsenceStanding:
    """Where a student stands against both limits, decided once for every view and digest."""

    over_month: bool
    over_semester: bool
    month_left: int | None = None  # lessons before the month limit is passed, when near
    semester_left: int | None = None  # the same for the semester

    @property
    def over(self) -> bool:
        return self.over_month or self.over_semester

    @property
    def within(self) -> bool:
        """Within both limits and not near either of them."""
        return not self.over and self.month_left is None and self.semester_left is None

    @property
    def stipend_at_risk(self) -> bool:
        """The stipend rule: a month over its limit may cost the next month's stipend."""
        return self.over_month


def absence_standing(*, month: int, semester: int, limits: AbsenceLimits) -> AbsenceStanding:
    """Decide the status of a month's and its semester's unexcused lessons."""
    return AbsenceStanding(
        over_month=over_limit(month, limits.month),
        over_semester=over_limit(semester, limits.semester),
        month_left=_left_before(month, limits.month, NEAR_MONTH),
        semester_left=_left_before(semester, limits.semester, NEAR_SEMESTER),
    )
