"""Sloppy but honest files import: any common CSV dialect, Excel cells, lv/ru headers."""

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import import_bytes
from models.school import Student, StudyGroup
from models.timetable import BellTime, TimetableEntry
from tests.importing.files import csv_bytes, load_templates, xlsx_bytes
from tests.importing.settings import NOW, limits

STUDENT_HEADER = ["student_number", "first_name", "last_name", "group", "birth_date"]


async def _students(sessionmaker: SessionMaker) -> dict[str, tuple[str, str, str, dt.date | None]]:
    async with sessionmaker() as session:
        query = select(
            col(Student.student_number),
            col(Student.first_name),
            col(Student.last_name),
            col(StudyGroup.code),
            col(Student.birth_date),
        ).join(StudyGroup, col(StudyGroup.id) == col(Student.group_id))
        return {
            number: (first, last, group, born)
            for number, first, last, group, born in await session.execute(query)
        }


async def test_csv_with_bom_semicolons_and_sloppy_codes(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    data = (
        csv_bytes(
            [
                [" Student_Number ", "FIRST_NAME", "last_name", "Group", "birth_date"],
                ["S-1", "Jeļena", "Ozoliņa", "am21", "5.3.2007"],
                ["S-2", "Андрей", "Смирнов", "AM 21", "2007-12-31"],
                ["S-3", "Ēriks", "Šņoriņš", "dt-31", "01.09.2006."],
                ["S-4", "Olga", "Kozlova", "АМ-21", "01.09.2006"],  # Cyrillic А and М
                ["", "", "", "", ""],
            ],
            bom=True,
        )
        + b";;;;\r\n\r\n"
    )

    report = await import_bytes(sessionmaker, data, "students.csv", limits=limits(), now=NOW)

    assert report.ok, report.render(gettext_for("en"))
    assert report.inserted == 4
    assert await _students(sessionmaker) == {
        "S-1": ("Jeļena", "Ozoliņa", "AM-21", dt.date(2007, 3, 5)),
        "S-2": ("Андрей", "Смирнов", "AM-21", dt.date(2007, 12, 31)),
        "S-3": ("Ēriks", "Šņoriņš", "DT-31", dt.date(2006, 9, 1)),
        "S-4": ("Olga", "Kozlova", "AM-21", dt.date(2006, 9, 1)),
    }


async def test_windows_1257_csv_with_commas(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    data = csv_bytes(
        [STUDENT_HEADER, ["S-9", "Līga", "Bērziņa", "DT-31", "12.02.2008"]],
        separator=",",
        encoding="cp1257",
    )

    report = await import_bytes(sessionmaker, data, "students.csv", limits=limits(), now=NOW)

    assert report.ok, report.render(gettext_for("en"))
    assert (await _students(sessionmaker))["S-9"][:2] == ("Līga", "Bērziņa")


async def test_excel_unicode_text_export(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    data = csv_bytes(
        [STUDENT_HEADER, ["S-7", "Jūlija", "Ивanova", "AM-21", ""]],
        separator="\t",
        encoding="utf-16",
    )

    report = await import_bytes(sessionmaker, data, "students.txt", limits=limits(), now=NOW)

    assert report.ok, report.render(gettext_for("en"))
    assert (await _students(sessionmaker))["S-7"] == ("Jūlija", "Ивanova", "AM-21", None)


async def test_xlsx_with_date_cells_numbers_and_blank_rows(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    data = xlsx_bytes(
        [
            STUDENT_HEADER,
            [20250001, "Marta", "Kalniņa", "dt31", dt.datetime(2008, 4, 30)],
            [None, None, None, None, None],
            [20250002.0, "Oskars", "Liepa", "DT 31", dt.date(2008, 1, 2)],
            ["", "  ", None, None, None],
        ]
    )

    report = await import_bytes(sessionmaker, data, "students.xlsx", limits=limits(), now=NOW)

    assert report.ok, report.render(gettext_for("en"))
    assert report.rows == 2
    students = await _students(sessionmaker)
    assert students["20250001"] == ("Marta", "Kalniņa", "DT-31", dt.date(2008, 4, 30))
    assert students["20250002"] == ("Oskars", "Liepa", "DT-31", dt.date(2008, 1, 2))


async def test_latvian_and_russian_headers(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    latvian = csv_bytes(
        [
            ["Audzēkņa nr.", "Vārds", "Uzvārds", "Grupa", "Dzimšanas datums"],
            ["L-1", "Anna", "Kalēja", "AM-21", "03.03.2007"],
        ]
    )
    russian = csv_bytes(
        [
            ["Номер студента", "Имя", "Фамилия", "Группа", "Дата рождения"],
            ["R-1", "Павел", "Орлов", "AM-21", "04.04.2007"],
        ]
    )

    first = await import_bytes(sessionmaker, latvian, "audzekni.csv", limits=limits(), now=NOW)
    second = await import_bytes(sessionmaker, russian, "студенты.csv", limits=limits(), now=NOW)

    assert first.ok and second.ok
    students = await _students(sessionmaker)
    assert students["L-1"] == ("Anna", "Kalēja", "AM-21", dt.date(2007, 3, 3))
    assert students["R-1"] == ("Павел", "Орлов", "AM-21", dt.date(2007, 4, 4))


async def test_extra_columns_are_ignored(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    data = csv_bytes(
        [
            [*STUDENT_HEADER, "phone", "Piezīmes"],
            ["X-1", "Ilva", "Krūmiņa", "AM-21", "", "+371", ""],
        ]
    )

    report = await import_bytes(sessionmaker, data, "students.csv", limits=limits(), now=NOW)

    assert report.ok
    assert report.ignored_columns == ("phone", "Piezīmes")
    assert "Ignored columns: phone, Piezīmes." in report.render(gettext_for("en"))


async def test_weekday_names_in_three_languages(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    header = ["group", "weekday", "lesson_no", "subject", "valid_from", "valid_to"]
    days = ["P.", "Otrdiena", "Ср", "thursday", "5", "Pk"]
    data = csv_bytes(
        [
            header,
            *[
                ["DT-31", day, number, "MAT", "01.09.2025", "23.12.2025"]
                for number, day in enumerate(days, start=5)
            ],
        ]
    )

    report = await import_bytes(sessionmaker, data, "timetable.csv", limits=limits(), now=NOW)

    assert report.ok, report.render(gettext_for("en"))
    async with sessionmaker() as session:
        query = select(col(TimetableEntry.lesson_no), col(TimetableEntry.weekday)).where(
            col(TimetableEntry.lesson_no) >= 5
        )
        weekdays = dict((await session.execute(query)).all())
    assert weekdays == {5: 1, 6: 2, 7: 3, 8: 4, 9: 5, 10: 5}


async def test_excel_time_cells(sessionmaker: SessionMaker) -> None:
    data = xlsx_bytes(
        [
            ["Stunda", "Sākums", "Beigas"],
            [1, dt.time(8, 30), dt.time(9, 10)],
            [2, "9:20", 0.4166666666666667],  # 10:00 as a bare fraction of a day
        ]
    )

    report = await import_bytes(sessionmaker, data, "zvani.xlsx", limits=limits(), now=NOW)

    assert report.ok, report.render(gettext_for("en"))
    async with sessionmaker() as session:
        rows = (
            await session.execute(
                select(col(BellTime.lesson_no), col(BellTime.start), col(BellTime.end))
            )
        ).all()
    assert sorted(tuple(row) for row in rows) == [
        (1, dt.time(8, 30), dt.time(9, 10)),
        (2, dt.time(9, 20), dt.time(10, 0)),
    ]
