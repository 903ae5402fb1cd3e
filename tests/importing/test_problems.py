"""Bad rows are all reported (row, column, reason) and nothing at all is written."""

import datetime as dt
from pathlib import Path

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import ImportReport, import_bytes
from tests.importing.dump import dump
from tests.importing.files import Rows, csv_bytes, load_templates, xlsx_bytes
from tests.importing.settings import NOW, limits


async def _rejected(
    sessionmaker: SessionMaker, data: bytes, file_name: str
) -> list[tuple[int, str, str]]:
    """Import a file that must fail; check nothing changed; return its problems."""
    before = await dump(sessionmaker)
    report = await import_bytes(sessionmaker, data, file_name, limits=limits(), now=NOW)
    assert not report.ok
    assert await dump(sessionmaker) == before
    return _problems(report)


def _problems(report: ImportReport) -> list[tuple[int, str, str]]:
    return [
        (problem.row, problem.column, problem.message(gettext_for("en")))
        for problem in report.problems
    ]


def _csv(rows: Rows) -> bytes:
    return csv_bytes(rows)


async def test_wrong_types(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    data = _csv(
        [
            [
                "student_number",
                "first_name",
                "last_name",
                "group",
                "birth_date",
                "gender",
                "status",
            ],
            ["S-1", "Anna", "Ozola", "DT-31", "31.02.2007", "F", "active"],
            ["S-2", "Ivars", "Lācis", "DT-31", "2007-01-01", "X", "studying"],
            ["S-3", "", "Egle", "DT-31", "1.1.2030", "", ""],
        ]
    )

    problems = await _rejected(sessionmaker, data, "students.csv")

    assert problems == [
        (2, "birth_date", "Not a date: 31.02.2007. Write dd.mm.yyyy."),
        (3, "gender", "Unknown value X; use one of: M, F."),
        (
            3,
            "status",
            "Unknown value studying; use one of: active, academic_leave, expelled, graduated.",
        ),
        (4, "first_name", "A value is required."),
        (4, "birth_date", "The birth date 01.01.2030 is in the future."),
    ]


async def test_unknown_group_teacher_and_room(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    header = [
        "group",
        "weekday",
        "lesson_no",
        "subject",
        "teacher",
        "room",
        "valid_from",
        "valid_to",
    ]
    data = _csv(
        [
            header,
            ["DT-31", "1", "1", "MAT", "T001", "STR16-204", "01.09.2025", "23.12.2025"],
            ["DT-13", "1", "2", "MAT", "T999", "STR16-204", "01.09.2025", "23.12.2025"],
            ["XX-99", "8", "3", "Fizika", "T001", "R1", "01.09.2025", "01.08.2025"],
        ]
    )

    problems = await _rejected(sessionmaker, data, "timetable.csv")

    assert problems == [
        (3, "group", "Unknown group: DT-13. Did you mean DT-31?"),
        (3, "teacher", "Unknown staff member: T999."),
        (4, "group", "Unknown group: XX-99."),
        (4, "weekday", "Not a weekday: 8. Write 1-7 or a day name."),
        (4, "subject", "Unknown subject: Fizika."),
        (4, "room", "Unknown room: R1."),
        (4, "valid_to", "The end date 01.08.2025 is before the start date 01.09.2025."),
    ]


async def test_duplicate_keys_within_the_file(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    data = _csv(
        [
            ["student_number", "first_name", "last_name", "group"],
            ["S-1", "Anna", "Ozola", "DT-31"],
            ["S-2", "Ivars", "Lācis", "DT-31"],
            [" s-1 ", "Anna", "Ozola", "AM-21"],
        ]
    )

    problems = await _rejected(sessionmaker, data, "students.csv")

    assert problems == [(4, "student_number", "Repeats row 2: the same student_number.")]


async def test_duplicate_composite_keys(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")
    data = _csv(
        [
            ["Audzēkņa nr.", "Datums", "Stunda", "status"],
            ["20230412", "15.09.2025", "1", "excused"],
            ["20230412", "2025-09-15", "1", "unexcused"],
        ]
    )

    problems = await _rejected(sessionmaker, data, "absences.csv")

    assert problems == [
        (3, "Audzēkņa nr., Datums, Stunda", "Repeats row 2: the same Audzēkņa nr., Datums, Stunda.")
    ]


async def test_formula_where_a_value_belongs(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")
    data = xlsx_bytes(
        [
            ["student_number", "subject", "date", "value"],
            ["20230412", "MAT", dt.date(2025, 9, 16), 8],
            ["20230412", "MAT", dt.date(2025, 9, 17), "=B2+1"],
        ]
    )

    problems = await _rejected(sessionmaker, data, "marks.xlsx")

    assert problems == [
        (3, "value", "The cell holds a formula (=B2+1); save the file with values instead.")
    ]


async def test_bad_row_in_ten_thousand_absences(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")
    numbers = ["20230412", "20230415", "20240107"]
    start = dt.date(2025, 9, 1)
    rows: list[list[object]] = [["student_number", "date", "lesson_no", "subject", "status"]]
    for index in range(10_000):
        day = start + dt.timedelta(days=index // 30)
        rows.append([numbers[index % 3], f"{day:%d.%m.%Y}", index % 10 + 1, "MAT", "unexcused"])
    good = rows[5001][1]
    rows[5001][1] = "31.11.2025"
    data = _csv(rows)

    problems = await _rejected(sessionmaker, data, "absences.csv")

    assert problems == [(5002, "date", "Not a date: 31.11.2025. Write dd.mm.yyyy.")]

    rows[5001][1] = good
    report = await import_bytes(sessionmaker, _csv(rows), "absences.csv", limits=limits(), now=NOW)
    assert report.ok, report.render(gettext_for("en"))
    assert (report.rows, report.inserted) == (10_000, 10_000)


async def test_rules_across_columns(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")
    data = _csv(
        [
            ["date", "group", "lesson_no", "change_type", "new_teacher", "new_room", "subject"],
            ["15.09.2025", "DT-31", "1", "aizvietošana", "", "", ""],
            ["15.09.2025", "DT-31", "2", "room", "", "", ""],
            ["15.09.2025", "DT-31", "3", "pievienots", "", "", ""],
            ["15.09.2025", "DT-31", "4", "atcelts", "", "", ""],
        ]
    )

    problems = await _rejected(sessionmaker, data, "timetable_changes.csv")

    assert problems == [
        (2, "new_teacher", "A substitution needs the substitute teacher."),
        (3, "new_room", "A room change needs the new room."),
        (4, "subject", "An added lesson needs its subject."),
    ]


async def test_consultations_need_a_teacher_or_service(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="staff")
    data = _csv(
        [
            ["teacher", "service", "weekday", "start", "end", "valid_from", "valid_to"],
            ["", "", "2", "15:00", "16:00", "01.09.2025", "23.12.2025"],
            ["T001", "", "2", "16:00", "15:00", "01.09.2025", "23.12.2025"],
            ["T001", "", "2", "25:00", "26:00", "01.09.2025", "23.12.2025"],
        ]
    )

    problems = await _rejected(sessionmaker, data, "consultations.csv")

    assert problems == [
        (2, "teacher", "Give a teacher's staff code or a service name."),
        (3, "end", "The end time 15:00 is not after the start time 16:00."),
        (4, "start", "Not a time: 25:00. Write hh:mm."),
        (4, "end", "Not a time: 26:00. Write hh:mm."),
    ]


async def test_cancellation_of_a_consultation_that_does_not_exist(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="consultations")
    data = _csv(
        [
            ["teacher", "date", "start"],
            ["T001", "17.09.2025", "15:00"],
            ["T001", "18.09.2025", "15:00"],
        ]
    )

    problems = await _rejected(sessionmaker, data, "consultation_cancellations.csv")

    assert problems == [(3, "start", "No consultation of T001 starts at 15:00 on 18.09.2025.")]


async def test_marks_out_of_range(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")
    data = _csv(
        [
            ["student_number", "subject", "date", "value", "kind"],
            ["20230412", "MAT", "16.09.2025", "11", "daily"],
            ["20230412", "MAT", "17.09.2025", "7,5", ""],
            ["20230412", "MAT", "18.09.2025", "0", "quiz"],
        ]
    )

    problems = await _rejected(sessionmaker, data, "marks.csv")

    mark_rule = "Use 1-10, passed, failed or nv."
    assert problems == [
        (2, "value", f"Not a mark: 11. {mark_rule}"),
        (3, "value", f"Not a mark: 7,5. {mark_rule}"),
        (4, "value", f"Not a mark: 0. {mark_rule}"),
        (
            4,
            "kind",
            "Unknown value quiz; use one of: "
            "daily, test, diagnostic, module, attestation, semester, exam.",
        ),
    ]
