"""CSV files in the code pages offices use import with their letters intact, or not at all."""

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import ImportRefused, ImportReport
from models.school import Student
from tests.importing.dump import dump
from tests.importing.files import csv_bytes, load_templates
from tests.importing.settings import limits
from tests.security.crafted import attempt

HEADER = ["student_number", "first_name", "last_name", "group"]
LATVIAN = [
    ["S-1", "Jānis", "Bērziņš", "DT-31"],
    ["S-2", "Līga", "Ozoliņa", "DT-31"],
    ["S-3", "Ērika", "Šķēle", "AM-21"],
    ["S-4", "Kārlis", "Žagars", "AM-21"],
]
RUSSIAN = [
    ["S-5", "Дмитрий", "Кузнецов", "DT-31"],
    ["S-6", "Анна", "Смирнова", "DT-31"],
    ["S-7", "Ян", "Ли", "AM-21"],
]
CASES = [
    ("latvian", LATVIAN, "utf-8", False),
    ("latvian", LATVIAN, "utf-8", True),
    ("latvian", LATVIAN, "cp1257", False),
    ("latvian", LATVIAN, "iso8859_13", False),
    ("russian", RUSSIAN, "utf-8", False),
    ("russian", RUSSIAN, "utf-8", True),
    ("russian", RUSSIAN, "cp1251", False),
    ("both", LATVIAN + RUSSIAN, "utf-8", False),
    ("one russian name", RUSSIAN[:1], "cp1251", False),
    ("one latvian name", LATVIAN[:1], "cp1257", False),
]


async def _names(sessionmaker: SessionMaker) -> dict[str, tuple[str, str]]:
    async with sessionmaker() as session:
        query = select(col(Student.student_number), col(Student.first_name), col(Student.last_name))
        return {number: (first, last) for number, first, last in await session.execute(query)}


@pytest.mark.parametrize(
    ("rows", "encoding", "bom"),
    [case[1:] for case in CASES],
    ids=[f"{case[0]}-{case[2]}{'-bom' if case[3] else ''}" for case in CASES],
)
async def test_names_keep_their_letters(
    sessionmaker: SessionMaker, tmp_path: Path, rows: list[list[str]], encoding: str, bom: bool
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    data = csv_bytes([HEADER, *rows], encoding=encoding, bom=bom)

    report = await attempt(sessionmaker, data, "students.csv", limits=limits())

    assert isinstance(report, ImportReport) and report.ok, report
    assert await _names(sessionmaker) == {number: (first, last) for number, first, last, _ in rows}


async def test_a_file_mixing_code_pages_is_refused(sessionmaker: SessionMaker) -> None:
    latvian = csv_bytes([HEADER, *LATVIAN], encoding="cp1257")
    russian = csv_bytes(RUSSIAN, encoding="cp1251")
    before = await dump(sessionmaker)

    refusal = await attempt(sessionmaker, latvian + russian, "students.csv", limits=limits())

    assert isinstance(refusal, ImportRefused)
    assert refusal.render(gettext_for("en")) == (
        "students.csv: not imported. Cannot tell the file's text encoding (tried UTF-8, "
        "UTF-8 BOM, Windows-1257, Windows-1251, ISO-8859-13): save it as CSV UTF-8 and send it "
        "again."
    )
    assert await dump(sessionmaker) == before


async def test_utf8_with_a_broken_letter_is_refused(sessionmaker: SessionMaker) -> None:
    data = csv_bytes([HEADER, *LATVIAN, *RUSSIAN]).replace("ā".encode(), b"\xc4", 1)

    refusal = await attempt(sessionmaker, data, "students.csv", limits=limits())

    assert isinstance(refusal, ImportRefused)
    assert "Cannot tell the file's text encoding" in refusal.render(gettext_for("en"))
