"""Example files, one per import kind, with the headers and a few rows that import cleanly."""

import csv
import datetime as dt
from pathlib import Path
from typing import Literal

from models.importing.registry import KIND_CLASSES
from models.importing.spec import Kind

TemplateFormat = Literal["xlsx", "csv"]


def template_rows(kind: type[Kind]) -> tuple[list[str], list[list[object]]]:
    """Return a kind's headers and example rows as Python values."""
    headers = [column.name for column in kind.columns]
    rows = [[example.get(name) for name in headers] for example in kind.examples]
    return headers, rows


def csv_text(value: object) -> str:
    """Write a value the way a Latvian office CSV holds it: 01.09.2025, 08:30, yes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def write_templates(directory: Path, *, fmt: TemplateFormat = "xlsx") -> list[Path]:
    """Write one example file per kind into `directory`, in import order; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KIND_CLASSES:
        path = directory / f"{kind.name}.{fmt}"
        headers, rows = template_rows(kind)
        if fmt == "csv":
            _write_csv(path, headers, rows)
        else:
            _write_xlsx(path, kind.name, headers, rows)
        written.append(path)
    return written


def _write_csv(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    # BOM and ";" so that Excel with Latvian or Russian settings opens it in columns.
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(headers)
        writer.writerows([csv_text(value) for value in row] for row in rows)


def _write_xlsx(path: Path, title: str, headers: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook  # loads on first use: the running bot rarely writes one
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["yes" if v is True else "no" if v is False else v for v in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.datetime | dt.date):
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(cell.value, dt.time):
                cell.number_format = "HH:MM"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(header) + 2)
    workbook.save(path)
