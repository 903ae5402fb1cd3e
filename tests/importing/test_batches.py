"""Big files are checked and written in batches, and stay all or nothing across the batches."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.attendance import Absence
from models.import_stamps import ImportStamp
from models.importing import ImportRefused, ImportReport, import_bytes
from models.importing.engine import BATCH_ROWS
from models.importing.validate import KEPT_PROBLEMS
from models.school import Student
from tests.importing.dump import dump
from tests.importing.files import Rows, csv_bytes, load_templates, xlsx_bytes
from tests.importing.settings import NOW, limits

EN = gettext_for("en")
HEADER: list[object] = ["student_number", "date", "lesson_no", "status", "reason"]
STUDENTS = 600  # more than one IN (...) list of students (500) per batch
FIRST_DAY = dt.date(2024, 9, 2)
LESSONS = 6


def _absence(n: int) -> list[object]:
    """The n-th of a run of distinct absences: student n mod 600, then the next lesson or day."""
    student, round_ = n % STUDENTS, n // STUDENTS
    day = FIRST_DAY + dt.timedelta(days=round_ // LESSONS)
    status = ("unexcused", "excused", "pending")[n % 3]
    return [f"S{student:04}", f"{day:%d.%m.%Y}", round_ % LESSONS + 1, status, f"r{n}"]


def _absences(count: int) -> list[list[object]]:
    return [list(HEADER), *(_absence(n) for n in range(count))]


async def _school(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    """The example school, and 600 students of its own."""
    await load_templates(sessionmaker, tmp_path, upto="groups")
    students = [["student_number", "first_name", "last_name", "group"]]
    students += [[f"S{n:04}", "Anna", f"Ozola{n}", "DT-31"] for n in range(STUDENTS)]
    report = await _import(sessionmaker, students, "students.csv")
    assert report.ok, report.render(EN)


async def _import(
    sessionmaker: SessionMaker, rows: Rows, file_name: str, *, dry_run: bool = False
) -> ImportReport:
    data = xlsx_bytes(rows) if file_name.endswith(".xlsx") else csv_bytes(rows)
    return await import_bytes(
        sessionmaker, data, file_name, dry_run=dry_run, limits=limits(), now=NOW
    )


async def _stored(sessionmaker: SessionMaker) -> set[tuple[object, ...]]:
    """Every absence as a file row would write it."""
    query = select(
        col(Student.student_number),
        col(Absence.date),
        col(Absence.lesson_no),
        col(Absence.status),
        col(Absence.reason),
    ).join(Student, col(Student.id) == col(Absence.student_id))
    async with sessionmaker() as session:
        return {
            (number, f"{day:%d.%m.%Y}", lesson, str(status), reason)
            for number, day, lesson, status, reason in await session.execute(query)
        }


def _as_stored(rows: Rows) -> set[tuple[object, ...]]:
    return {tuple(row) for row in rows[1:]}


async def test_a_large_file_is_written_whole(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await _school(sessionmaker, tmp_path)
    rows = _absences(30_000)

    report = await _import(sessionmaker, rows, "kavejumi.csv")

    assert report.ok, report.render(EN)
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (
        30_000,
        30_000,
        0,
        0,
    )
    assert await _stored(sessionmaker) == _as_stored(rows)
    async with sessionmaker() as session:
        stamps = await session.scalars(
            select(ImportStamp).where(col(ImportStamp.kind) == "absences")
        )
        assert [(s.rows, s.inserted) for s in stamps] == [(30_000, 30_000)]


async def test_a_large_file_imported_again_changes_only_what_changed(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await _school(sessionmaker, tmp_path)
    rows = _absences(3 * BATCH_ROWS)
    await _import(sessionmaker, rows, "kavejumi.csv")
    rows[-1][3:] = ["excused", "Ārsta zīme"]  # a row of the last batch

    report = await _import(sessionmaker, rows, "kavejumi.csv")

    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 3 * BATCH_ROWS - 1)
    assert await _stored(sessionmaker) == _as_stored(rows)


@pytest.mark.parametrize("count", [BATCH_ROWS - 1, BATCH_ROWS, BATCH_ROWS + 1])
async def test_files_at_a_batch_boundary(
    sessionmaker: SessionMaker, tmp_path: Path, count: int
) -> None:
    await _school(sessionmaker, tmp_path)
    rows = _absences(count)

    report = await _import(sessionmaker, rows, "kavejumi.xlsx")

    assert (report.ok, report.rows, report.inserted) == (True, count, count)
    assert await _stored(sessionmaker) == _as_stored(rows)


async def test_an_error_in_the_last_row_writes_nothing(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await _school(sessionmaker, tmp_path)
    rows = _absences(2 * BATCH_ROWS + 1)
    rows[-1][0] = "S9999"
    before = await dump(sessionmaker)

    report = await _import(sessionmaker, rows, "kavejumi.csv")

    assert [problem.render(EN) for problem in report.problems] == [
        f"Row {2 * BATCH_ROWS + 2}, column student_number: Unknown student number: S9999."
    ]
    assert await dump(sessionmaker) == before


async def test_a_key_repeated_in_a_later_batch_is_caught(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await _school(sessionmaker, tmp_path)
    rows = _absences(BATCH_ROWS + 5)
    rows[BATCH_ROWS + 1] = [*rows[1][:3], "excused", "again"]  # the second batch's first row
    before = await dump(sessionmaker)

    report = await _import(sessionmaker, rows, "kavejumi.csv")

    assert [problem.render(EN) for problem in report.problems] == [
        f"Row {BATCH_ROWS + 2}, column student_number, date, lesson_no: "
        "Repeats row 2: the same student_number, date, lesson_no."
    ]
    assert await dump(sessionmaker) == before


async def test_a_file_wrong_in_every_row_keeps_the_first_problems_and_counts_all(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await _school(sessionmaker, tmp_path)
    rows = _absences(KEPT_PROBLEMS + 500)
    for row in rows[1:]:
        row[0] = "nobody"

    report = await _import(sessionmaker, rows, "kavejumi.csv")

    assert len(report.problems) == KEPT_PROBLEMS
    assert [problem.row for problem in report.problems] == list(range(2, KEPT_PROBLEMS + 2))
    lines = report.render(EN, limit=3).splitlines()
    assert lines[1] == f"Nothing was imported; problems found: {KEPT_PROBLEMS + 500}."
    assert lines[-1] == f"…and {KEPT_PROBLEMS + 497} more."


async def test_too_many_rows_past_the_first_batches_writes_nothing(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await _school(sessionmaker, tmp_path)
    data = csv_bytes(_absences(2 * BATCH_ROWS + 1))
    before = await dump(sessionmaker)

    with pytest.raises(ImportRefused) as refused:
        await import_bytes(
            sessionmaker,
            data,
            "kavejumi.csv",
            limits=limits(max_rows=2 * BATCH_ROWS),
            now=NOW,
        )

    assert str(refused.value) == f"kavejumi.csv: The file has more than {2 * BATCH_ROWS} rows."
    assert await dump(sessionmaker) == before


async def test_a_dry_run_of_a_large_file_counts_and_writes_nothing(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await _school(sessionmaker, tmp_path)
    before = await dump(sessionmaker)

    report = await _import(
        sessionmaker, _absences(2 * BATCH_ROWS + 1), "kavejumi.csv", dry_run=True
    )

    assert (report.ok, report.inserted) == (True, 2 * BATCH_ROWS + 1)
    assert await dump(sessionmaker) == before
