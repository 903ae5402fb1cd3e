"""Whole files that cannot be imported are refused with one clear reason, touching nothing."""

import io
import random
import zipfile
from pathlib import Path

import pytest

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import ImportRefused, import_bytes, import_file
from tests.importing.dump import dump
from tests.importing.files import csv_bytes, load_templates, xlsx_bytes
from tests.importing.settings import NOW, limits

STUDENTS = [["student_number", "first_name", "last_name", "group"], ["1", "Anna", "Ozola", "DT-31"]]


async def _refusal(
    sessionmaker: SessionMaker, data: bytes, file_name: str, **options: object
) -> ImportRefused:
    before = await dump(sessionmaker)
    kind = options.get("kind")
    chosen = limits(
        max_bytes=int(str(options.get("max_bytes", 20 * 1024 * 1024))),
        max_rows=int(str(options.get("max_rows", 200_000))),
    )
    with pytest.raises(ImportRefused) as refused:
        await import_bytes(
            sessionmaker,
            data,
            file_name,
            kind=None if kind is None else str(kind),
            limits=chosen,
            now=NOW,
        )
    assert await dump(sessionmaker) == before
    return refused.value


async def test_empty_file(sessionmaker: SessionMaker) -> None:
    refusal = await _refusal(sessionmaker, b"", "students.csv")
    assert refusal.render(gettext_for("en")) == "students.csv: not imported. The file is empty."


async def test_blank_lines_only(sessionmaker: SessionMaker) -> None:
    refusal = await _refusal(sessionmaker, b"\xef\xbb\xbf;;;\r\n ; ;\r\n", "students.csv")
    assert refusal.render(gettext_for("en")).endswith("The file is empty.")


async def test_header_without_rows(sessionmaker: SessionMaker) -> None:
    refusal = await _refusal(sessionmaker, csv_bytes(STUDENTS[:1]), "students.csv")
    assert refusal.render(gettext_for("en")).endswith("The file has a header row but no data rows.")


async def test_random_bytes(sessionmaker: SessionMaker) -> None:
    noise = random.Random(7).randbytes(4096)
    refusal = await _refusal(sessionmaker, noise, "students.csv")
    assert refusal.render(gettext_for("en")).endswith("This is not a CSV or XLSX file.")


async def test_zip_that_is_no_workbook(sessionmaker: SessionMaker) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    refusal = await _refusal(sessionmaker, buffer.getvalue(), "students.xlsx")
    assert refusal.render(gettext_for("en")).endswith("This is not a CSV or XLSX file.")


async def test_xlsx_named_csv_is_read_as_xlsx(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    report = await import_bytes(
        sessionmaker, xlsx_bytes(STUDENTS), "students.csv", limits=limits(), now=NOW
    )
    assert report.ok and report.inserted == 1


async def test_file_over_the_size_limit(sessionmaker: SessionMaker) -> None:
    data = csv_bytes(STUDENTS * 20)
    assert 1024 <= len(data) < 1536
    refusal = await _refusal(sessionmaker, data, "students.csv", max_bytes=200)
    assert refusal.render(gettext_for("en")) == (
        "students.csv: not imported. The file is too big (1 KB); the limit is 200 B."
    )


async def test_file_on_disk_over_the_size_limit(sessionmaker: SessionMaker, tmp_path: Path) -> None:
    path = tmp_path / "students.csv"
    path.write_bytes(csv_bytes(STUDENTS * 20))
    with pytest.raises(ImportRefused) as refused:
        await import_file(sessionmaker, path, limits=limits(max_bytes=100), now=NOW)
    assert "too big" in refused.value.render(gettext_for("en"))


async def test_file_over_the_row_limit(sessionmaker: SessionMaker) -> None:
    data = csv_bytes([STUDENTS[0], *[[str(n), "A", "B", "DT-31"] for n in range(6)]])
    refusal = await _refusal(sessionmaker, data, "students.csv", max_rows=5)
    assert refusal.render(gettext_for("en")).endswith("The file has more than 5 rows.")


async def test_unknown_kind_lists_the_known_ones(sessionmaker: SessionMaker) -> None:
    refusal = await _refusal(sessionmaker, csv_bytes(STUDENTS), "x.csv", kind="pupils")
    text = refusal.render(gettext_for("en"))
    assert text.startswith("x.csv: not imported. Unknown import kind pupils. Known kinds: ")
    assert "buildings, rooms," in text and text.endswith("absences, marks, guardians.")


async def test_undetectable_kind(sessionmaker: SessionMaker) -> None:
    data = csv_bytes([["colour", "size"], ["red", "2"]])
    refusal = await _refusal(sessionmaker, data, "export.csv")
    assert "Cannot tell what the file holds" in refusal.render(gettext_for("en"))
    assert "students" in refusal.render(gettext_for("en"))


async def test_missing_columns_are_all_named(sessionmaker: SessionMaker) -> None:
    data = csv_bytes([["student_number", "surname", "notes"], ["1", "Ozola", ""]])
    refusal = await _refusal(sessionmaker, data, "students.csv")
    assert refusal.render(gettext_for("en")) == (
        "students.csv: not imported. Required columns are missing: first_name, group."
    )


async def test_repeated_column(sessionmaker: SessionMaker) -> None:
    data = csv_bytes([[*STUDENTS[0], "Grupa"], [*STUDENTS[1], "AM-21"]])
    refusal = await _refusal(sessionmaker, data, "students.csv")
    assert refusal.render(gettext_for("en")).endswith("The column Grupa appears more than once.")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("lv", "students.csv: nav importēts. Trūkst obligāto kolonnu: group."),
        ("ru", "students.csv: не импортирован. Нет обязательных столбцов: group."),
        ("en", "students.csv: not imported. Required columns are missing: group."),
    ],
)
async def test_refusal_speaks_the_admins_language(
    sessionmaker: SessionMaker, language: str, text: str
) -> None:
    data = csv_bytes([STUDENTS[0][:3], STUDENTS[1][:3]])
    refusal = await _refusal(sessionmaker, data, "students.csv")
    assert refusal.render(gettext_for(language)) == text
