"""Reports read naturally in Latvian, Russian and English."""

from pathlib import Path

import pytest

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import ImportReport, import_bytes
from tests.importing.files import csv_bytes, load_templates
from tests.importing.settings import NOW, limits

HEADER = ["student_number", "first_name", "last_name", "group"]


async def _report(sessionmaker: SessionMaker, rows: list[list[str]]) -> ImportReport:
    return await import_bytes(
        sessionmaker, csv_bytes(rows), "students.csv", limits=limits(), now=NOW
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("lv", "students.csv: audzēkņi, rindas: 2.\nJauni: 1, mainīti: 0, bez izmaiņām: 1."),
        ("ru", "students.csv: учащиеся, строк: 2.\nНовых: 1, изменено: 0, без изменений: 1."),
        ("en", "students.csv: students, rows: 2.\nNew: 1, changed: 0, unchanged: 1."),
    ],
)
async def test_success_report(
    sessionmaker: SessionMaker, tmp_path: Path, language: str, text: str
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="students")
    report = await _report(
        sessionmaker,
        [HEADER, ["20230412", "Artjoms", "Petrovs", "DT-31"], ["N1", "Ilga", "Vīksna", "AM-21"]],
    )
    assert report.render(gettext_for(language)) == text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "lv",
            "students.csv: audzēkņi, rindas: 2.\n"
            "Nekas netika importēts; atrastās kļūdas: 2.\n"
            "2. rinda, kolonna group: Nezināma grupa: DT-13. Varbūt domājāt DT-31?\n"
            "3. rinda, kolonna first_name: Vērtība ir obligāta.",
        ),
        (
            "ru",
            "students.csv: учащиеся, строк: 2.\n"
            "Ничего не импортировано; найдено ошибок: 2.\n"
            "Строка 2, столбец group: Неизвестная группа: DT-13. "
            "Может быть, имелось в виду DT-31?\n"
            "Строка 3, столбец first_name: Значение обязательно.",
        ),
        (
            "en",
            "students.csv: students, rows: 2.\n"
            "Nothing was imported; problems found: 2.\n"
            "Row 2, column group: Unknown group: DT-13. Did you mean DT-31?\n"
            "Row 3, column first_name: A value is required.",
        ),
    ],
)
async def test_problem_report(
    sessionmaker: SessionMaker, tmp_path: Path, language: str, text: str
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    report = await _report(
        sessionmaker, [HEADER, ["N1", "Anna", "Ozola", "DT-13"], ["N2", "", "Liepa", "DT-31"]]
    )
    assert report.render(gettext_for(language)) == text


async def test_long_problem_lists_are_cut(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    rows = [HEADER, *[[f"N{n}", "Anna", "Ozola", "XX-1"] for n in range(25)]]

    report = await _report(sessionmaker, rows)

    lines = report.render(gettext_for("lv"), limit=20).splitlines()
    assert len(report.problems) == 25
    assert len(lines) == 2 + 20 + 1
    assert lines[-1] == "…un vēl 5."
    assert report.render(gettext_for("ru"), limit=3).splitlines()[-1] == "…и ещё 22."
    assert (
        report.render(gettext_for("en"), limit=25)
        .splitlines()[-1]
        .startswith("Row 26, column group")
    )
