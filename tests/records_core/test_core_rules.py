"""The rules decided once in the core: the absence standing, half-up rounding, the meter."""

from decimal import Decimal
from fractions import Fraction

import pytest

from bot.chat.records import meter
from models.absence_limits import AbsenceLimits, absence_standing, over_limit
from models.attendance_queries import Month
from models.mark_rounding import half_up, mark_of

LIMITS = AbsenceLimits(month=8, semester=40)


@pytest.mark.parametrize(
    ("month", "semester", "over_month", "over_semester", "month_left", "semester_left", "within"),
    [
        (0, 0, False, False, None, None, True),
        (5, 20, False, False, None, None, True),
        (6, 20, False, False, 3, None, False),  # two below the month's limit: warned
        (8, 20, False, False, 1, None, False),  # reaching a limit is allowed, but close
        (9, 20, True, False, None, None, False),
        (0, 35, False, False, None, 6, False),
        (0, 57, False, True, None, None, False),  # the chronic absentee's 57/40
        (3, 63, False, True, None, None, False),  # the tutor's detail view: 63/40
        (12, 63, True, True, None, None, False),
    ],
)
def test_the_standing_weighs_the_month_and_the_semester(
    month: int,
    semester: int,
    over_month: bool,
    over_semester: bool,
    month_left: int | None,
    semester_left: int | None,
    within: bool,
) -> None:
    standing = absence_standing(month=month, semester=semester, limits=LIMITS)
    assert (standing.over_month, standing.over_semester) == (over_month, over_semester)
    assert (standing.month_left, standing.semester_left) == (month_left, semester_left)
    assert standing.within is within
    assert standing.stipend_at_risk is over_month


def test_a_limit_of_zero_warns_of_nothing_before_it_is_passed() -> None:
    standing = absence_standing(month=0, semester=0, limits=AbsenceLimits(0, 0))
    assert standing.within
    assert absence_standing(month=1, semester=1, limits=AbsenceLimits(0, 0)).over_semester


@pytest.mark.parametrize(("count", "limit", "over"), [(8, 8, False), (9, 8, True), (0, 0, False)])
def test_over_the_limit_means_more_than_it(count: int, limit: int, over: bool) -> None:
    assert over_limit(count, limit) is over


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        (4.5, 0, "5"),  # Python's round() gives 4
        (2.5, 0, "3"),
        (5.5, 0, "6"),
        (4.49, 0, "4"),
        (Fraction(9, 2), 0, "5"),
        (Fraction(13, 3), 0, "4"),
        (Fraction(29, 6), 0, "5"),
        (7, 0, "7"),
        (4.25, 1, "4.3"),  # f"{4.25:.1f}" gives 4.2
        (4.45, 1, "4.5"),  # stored as 4.4499...; a person reads 4.45
        (6.35, 1, "6.4"),
        (5.0, 1, "5.0"),
        (2.675, 2, "2.68"),
    ],
)
def test_marks_round_half_up(value: float | Fraction, places: int, rounded: str) -> None:
    assert half_up(value, places) == Decimal(rounded)
    assert str(half_up(value, places)) == rounded


def test_an_average_of_four_and_a_half_earns_a_five() -> None:
    assert mark_of(Fraction(4 + 5, 2)) == 5
    assert mark_of(Fraction(4 + 4 + 5, 3)) == 4


@pytest.mark.parametrize(
    ("value", "limit", "bar"),
    [
        (4, 8, "▓▓▓▓▓░░░░░ 4/8"),
        (0, 40, "░░░░░░░░░░ 0/40"),
        (57, 40, "▓▓▓▓▓▓▓▓▓▓ 57/40"),
        (3, 0, "▓▓▓▓▓▓▓▓▓▓ 3/0"),
    ],
)
def test_the_meter_draws_a_count_against_its_limit(value: int, limit: int, bar: str) -> None:
    assert meter(value, limit) == bar


@pytest.mark.parametrize(
    ("month", "current", "following"),
    [
        (Month(2026, 12), Month(2026, 12), None),  # December never offers January
        (Month(2026, 11), Month(2026, 12), Month(2026, 12)),
        (Month(2025, 12), Month(2026, 3), Month(2026, 1)),
        (Month(2026, 5), Month(2026, 4), None),
    ],
)
def test_no_month_after_the_current_one_is_offered(
    month: Month, current: Month, following: Month | None
) -> None:
    assert month.next_until(current) == following
