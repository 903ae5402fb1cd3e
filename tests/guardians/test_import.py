"""The guardians import kind: rows in by student and name, ended ones kept as ended."""

from pathlib import Path

from sqlmodel import col, select

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.guardians import Guardianship
from models.importing import ImportReport, import_bytes
from tests.importing.files import csv_bytes, load_templates
from tests.importing.settings import NOW, limits

HEADER = ["student_number", "guardian_name", "relation", "phone", "email", "status"]


async def _import(sessionmaker: SessionMaker, rows: list[list[str]]) -> ImportReport:
    data = csv_bytes([HEADER, *rows])
    return await import_bytes(sessionmaker, data, "guardians.csv", limits=limits(), now=NOW)


async def _guardianships(sessionmaker: SessionMaker) -> dict[tuple[str, str], tuple[str, str]]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(Guardianship).order_by(col(Guardianship.id)))
        return {(str(g.student_id), g.name): (g.relation, g.status) for g in rows}


async def test_guardians_are_imported_with_lv_and_ru_spellings(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")

    report = await _import(
        sessionmaker,
        [
            ["20230412", "Olga Petrova", "мать", "+371 26123456", "", ""],
            ["20230412", "Pāvels Petrovs", "tēvs", "", "pavels@example.lv", "aktīvs"],
        ],
    )

    assert report.ok, report.render(gettext_for("en"))
    found = await _guardianships(sessionmaker)
    assert sorted(found.values()) == [("father", "active"), ("mother", "active")]


async def test_a_reimport_ends_a_guardianship_and_matches_names_loosely(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")
    await _import(sessionmaker, [["20230412", "Olga Petrova", "mother", "", "", ""]])

    report = await _import(sessionmaker, [["20230412", "OLGA  petrova", "mother", "", "", "ended"]])

    assert (report.inserted, report.updated) == (0, 1)
    assert [status for _, status in (await _guardianships(sessionmaker)).values()] == ["ended"]


async def test_unknown_student_and_bad_email_are_reported_and_nothing_written(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")

    report = await _import(
        sessionmaker,
        [
            ["20230412", "Olga Petrova", "mother", "", "", ""],
            ["99999999", "Nobody", "", "", "", ""],
            ["20240107", "Jānis Liepiņš", "father", "", "not-an-address", ""],
        ],
    )

    assert not report.ok
    text = report.render(gettext_for("en"))
    assert "Unknown student number: 99999999" in text
    assert "Not an e-mail address: not-an-address" in text
    assert await _guardianships(sessionmaker) == {}
