"""Cell values in the spellings schools use: dates, times, weekdays, yes/no, marks."""

import datetime as dt

import pytest

from models.importing.cells import CellError, Decimal, Flag, Items, Text, Whole
from models.importing.dates import _WEEKDAYS, Date, Time, Weekday
from models.importing.groups import GroupCode
from models.importing.records import MarkValue
from models.importing.staff import ROLES


@pytest.mark.parametrize(
    "raw",
    ["05.03.2007", "5.3.2007", "5/3/2007", "2007-03-05", "05.03.2007.", dt.datetime(2007, 3, 5)],
)
def test_dates(raw: object) -> None:
    assert Date().parse(raw) == dt.date(2007, 3, 5)


@pytest.mark.parametrize("raw", ["2007-13-01", "29.02.2023", "yesterday", "5.3.07", "01.01.1850"])
def test_bad_dates(raw: object) -> None:
    with pytest.raises(CellError):
        Date().parse(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8:30", dt.time(8, 30)),
        ("08.30", dt.time(8, 30)),
        ("14:50:00", dt.time(14, 50)),
        (dt.time(9, 5), dt.time(9, 5)),
        (dt.timedelta(hours=15, minutes=40), dt.time(15, 40)),
        (0.5, dt.time(12, 0)),
    ],
)
def test_times(raw: object, expected: dt.time) -> None:
    assert Time().parse(raw) == expected


def test_weekday_names_do_not_collide() -> None:
    keys = [Weekday().parse(name) for names in _WEEKDAYS.values() for name in names]
    assert keys == [day for day, names in _WEEKDAYS.items() for _ in names]


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("Pirmdiena", 1),
        ("O.", 2),
        ("T", 3),
        ("Чт", 4),
        ("Piektd.", 5),
        ("sat", 6),
        (7, 7),
        (3.0, 3),
    ],
)
def test_weekdays(raw: object, day: int) -> None:
    assert Weekday().parse(raw) == day


@pytest.mark.parametrize(
    ("raw", "value"), [("Jā", True), ("нет", False), ("TRUE", True), (0, False), ("x", True)]
)
def test_flags(raw: object, value: bool) -> None:
    assert Flag().parse(raw) is value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("7", "7"),
        (10, "10"),
        (8.0, "8"),
        ("IESKAITĪTS", "passed"),
        ("n/v", "nv"),
        ("не зачтено", "failed"),
    ],
)
def test_marks(raw: object, value: str) -> None:
    assert MarkValue().parse(raw) == value


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("am21", "AM-21"),
        ("AM 21", "AM-21"),
        ("ам-21", "AM-21"),
        ("KSV", "KSV"),
        ("ĀM-2/1", "ĀM-2/1"),
    ],
)
def test_group_codes(raw: str, code: str) -> None:
    assert GroupCode().parse(raw) == code


def test_numbers_and_text() -> None:
    assert Whole(1, 6).parse("3") == 3
    assert Whole(1, 6).parse(4.0) == 4
    assert Decimal(0, 10).parse("1,5") == 1.5
    assert Text(12).parse("  Ilze   Kalniņa ") == "Ilze Kalniņa"
    assert Text(10, upper=True).parse("a") == "A"
    assert Items("roles", ROLES).parse("teacher; Audzinātājs, teacher") == ("teacher", "tutor")
    with pytest.raises(CellError):
        Whole(1, 6).parse("7")
    with pytest.raises(CellError):
        Text(3).parse("four")
