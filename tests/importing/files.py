"""Build import files in memory: CSV in any dialect, XLSX with real cell types."""

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import ImportReport, import_file, write_templates
from tests.importing.settings import NOW, limits

Rows = Sequence[Sequence[object]]


def csv_bytes(
    rows: Rows, *, separator: str = ";", encoding: str = "utf-8", bom: bool = False
) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=separator).writerows(
        ["" if value is None else str(value) for value in row] for row in rows
    )
    data = buffer.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def xlsx_bytes(rows: Rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def load_templates(
    sessionmaker: SessionMaker, directory: Path, *, upto: str, fmt: str = "csv"
) -> list[ImportReport]:
    """Import the example files of every kind up to and including `upto`."""
    reports = []
    for path in write_templates(directory, fmt="csv" if fmt == "csv" else "xlsx"):
        report = await import_file(sessionmaker, path, limits=limits(), now=NOW)
        assert report.ok, report.render(gettext_for("en"))
        reports.append(report)
        if path.stem == upto:
            break
    return reports
