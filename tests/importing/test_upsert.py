"""Imports upsert by natural key: new rows in, changed rows updated, the rest untouched."""

from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.import_stamps import ImportStamp
from models.importing import ImportReport, import_bytes
from models.marks import Mark
from models.school import GroupTutor, Staff, StaffRoleAssignment, Student, StudyGroup
from tests.importing.dump import count_rows, dump
from tests.importing.files import csv_bytes, load_templates
from tests.importing.settings import NOW, limits


async def _import(
    sessionmaker: SessionMaker, rows: list[list[str]], file_name: str, *, dry_run: bool = False
) -> ImportReport:
    report = await import_bytes(
        sessionmaker, csv_bytes(rows), file_name, dry_run=dry_run, limits=limits(), now=NOW
    )
    assert report.ok, report.render(gettext_for("en"))
    return report


async def _roles(sessionmaker: SessionMaker) -> dict[str, set[str]]:
    async with sessionmaker() as session:
        query = select(col(Staff.code), col(StaffRoleAssignment.role)).join(
            StaffRoleAssignment, col(StaffRoleAssignment.staff_id) == col(Staff.id)
        )
        found: dict[str, set[str]] = {}
        for code, role in await session.execute(query):
            found.setdefault(code, set()).add(role)
        return found


async def test_changed_rows_are_updated_and_the_rest_left_alone(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")
    header = ["student_number", "first_name", "last_name", "group"]

    report = await _import(
        sessionmaker,
        [
            header,
            ["20230412", "Artjoms", "Petrovs", "DT-31"],
            ["20230415", "Elīna", "Zariņa-Ozola", "DT-31"],
            ["20259999", "Jana", "Kalniņa", "AM-21"],
        ],
        "students.csv",
    )

    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 1)
    async with sessionmaker() as session:
        students = {s.student_number: s for s in (await session.scalars(select(Student))).all()}
    assert students["20230415"].last_name == "Zariņa-Ozola"
    assert students["20230415"].name_key == "elina zarina-ozola"
    # Columns the file does not have keep their values: the dormitory stays.
    assert (students["20240107"].dorm_room, students["20240107"].birth_date is not None) == (
        "214",
        True,
    )


async def test_dry_run_counts_but_writes_nothing(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    before = await dump(sessionmaker)

    report = await _import(
        sessionmaker,
        [["code", "course"], ["DT-31", "4"], ["MT-11", "1"]],
        "groups.csv",
        dry_run=True,
    )

    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 0)
    assert "Checked only: nothing was written." in report.render(gettext_for("en"))
    assert await dump(sessionmaker) == before


async def test_a_stamp_records_each_real_import(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="buildings")
    await _import(
        sessionmaker, [["code", "name"], ["MEN1", "Mendeļejeva"]], "ekas.csv", dry_run=True
    )
    await _import(sessionmaker, [["code", "name"], ["MEN1", "Mendeļejeva"]], "ekas.csv")

    async with sessionmaker() as session:
        stamps = (await session.scalars(select(ImportStamp).order_by(col(ImportStamp.id)))).all()
    assert [(s.kind, s.file_name, s.rows, s.inserted, s.updated) for s in stamps] == [
        ("buildings", "buildings.csv", 3, 3, 0),
        ("buildings", "ekas.csv", 1, 1, 0),
    ]
    assert stamps[1].imported_at == NOW


async def test_staff_roles_follow_the_file(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="staff")
    header = ["code", "first_name", "last_name", "roles"]

    report = await _import(
        sessionmaker,
        [
            header,
            ["T001", "Ilze", "Kalniņa", "teacher; methodologist"],
            ["T002", "Dmitrijs", "Sokolovs", "Skolotājs, tutor, practice_supervisor"],
        ],
        "staff.csv",
    )
    await _import(
        sessionmaker,
        [["code", "first_name", "last_name"], ["P001", "Laura", "Vītola"]],
        "staff.csv",
    )

    assert (report.updated, report.unchanged) == (1, 1)
    assert await _roles(sessionmaker) == {
        "T001": {"teacher", "methodologist"},
        "T002": {"teacher", "tutor", "practice_supervisor"},
        "P001": {"psychologist"},
    }


async def test_group_tutors_and_prison_access(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")

    await _import(
        sessionmaker,
        [
            ["code", "tutors", "is_prison", "bot_access"],
            ["DT-31", "T002; T001", "nē", ""],
            ["SVP-1", "T001", "jā", ""],
            ["ELM-1", "", "jā", "jā"],
        ],
        "grupas.csv",
    )

    async with sessionmaker() as session:
        groups = {g.code: g for g in (await session.scalars(select(StudyGroup))).all()}
        staff = {s.id: s.code for s in (await session.scalars(select(Staff))).all()}
        tutors: dict[str, set[str]] = {}
        for tutor in (await session.scalars(select(GroupTutor))).all():
            code = next(c for c, g in groups.items() if g.id == tutor.group_id)
            tutors.setdefault(code, set()).add(staff[tutor.staff_id])
    assert {code: (g.is_prison, g.bot_access) for code, g in groups.items()} == {
        "DT-31": (False, True),
        "AM-21": (False, True),
        "ELM-1": (True, True),
        "SVP-1": (True, False),
    }
    assert tutors == {"DT-31": {"T001", "T002"}, "AM-21": {"T002"}, "SVP-1": {"T001"}}


async def test_mark_values_and_scores(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")

    await _import(
        sessionmaker,
        [
            ["student_number", "subject", "date", "value", "kind"],
            ["20230412", "Matemātika", "01.10.2025", "9", ""],
            ["20230412", "MAT", "02.10.2025", "neieskaitīts", "Kontroldarbs"],
            ["20230412", "mat", "03.10.2025", "i", "eksāmens"],
            ["20230412", "MAT", "04.10.2025", "н/в", "atestācija"],
        ],
        "atzimes.csv",
    )

    async with sessionmaker() as session:
        query = select(col(Mark.date), col(Mark.kind), col(Mark.value), col(Mark.score)).order_by(
            col(Mark.date)
        )
        marks = [
            (day.day, kind, value, score)
            for day, kind, value, score in await session.execute(query)
        ]
    assert marks == [
        (1, "daily", "9", 9),
        (2, "test", "failed", None),
        (3, "exam", "passed", None),
        (4, "attestation", "nv", None),
    ]


async def test_absences_reimport_updates_only_changed_rows(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")
    header = ["student_number", "date", "lesson_no", "status", "reason"]
    first = [
        header,
        *[["20230412", f"{day:02}.10.2025", "1", "unexcused", ""] for day in range(1, 11)],
    ]
    await _import(sessionmaker, first, "kavejumi.csv")
    second = [list(row) for row in first]
    second[3][3:] = ["excused", "Ārsta zīme"]

    report = await _import(sessionmaker, second, "kavejumi.csv")

    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 9)
    assert await count_rows(sessionmaker, "absence") == 10
