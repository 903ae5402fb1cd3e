"""A table written as XLSX reads back, through openpyxl, as the same cells with their layout."""

import io
import zipfile
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.xlsx_table import Value, table_xlsx

ROWS: list[list[Value]] = [
    ["Name", "Lessons", "Average", "Note"],
    ["Bērziņa Anna", 3, 4.67, None],
    ["Иванова Ольга", 0, None, 'A & B <c> "d"'],
]


def _sheet(data: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_cells_read_back_with_their_types() -> None:
    sheet = _sheet(table_xlsx("AM-21 2026-11", ROWS))
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == ROWS
    assert sheet["B2"].data_type == "n" and isinstance(sheet["B2"].value, int)
    assert sheet["C2"].value == 4.67 and sheet["A2"].data_type == "s"


def test_the_header_is_bold_frozen_with_the_first_column_and_filtered() -> None:
    sheet = _sheet(table_xlsx("AM-21 2026-11", ROWS))
    assert sheet.title == "AM-21 2026-11"
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:D3"


def test_columns_are_as_wide_as_their_longest_value() -> None:
    sheet = _sheet(table_xlsx("t", [["x", "y"], ["a" * 20, 1], ["a" * 80, 2]]))
    assert sheet.column_dimensions["A"].width == 50  # at most 50
    assert sheet.column_dimensions["B"].width == 8  # at least 8


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "=1+2"),  # never a formula
        ("a\x00b\x1fc\td", "abc\td"),  # no characters XML cannot hold
        ("  padded  ", "  padded  "),
    ],
)
def test_text_stays_the_text_given(text: str, expected: str) -> None:
    cell = _sheet(table_xlsx("t", [["h"], [text]]))["A2"]
    assert cell.data_type == "s" and cell.value == expected


def test_text_like_an_escape_is_escaped() -> None:
    with zipfile.ZipFile(io.BytesIO(table_xlsx("t", [["h"], ["_x0041_"]]))) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert ">_x005F_x0041_<" in sheet  # Excel reads "_x0041_" as "A" unless its "_" is escaped


def test_a_sheet_name_excel_would_refuse_is_made_acceptable() -> None:
    data = table_xlsx("a/b: [c] * d? \\ e and much more than thirty-one", [["h"]])
    assert _sheet(data).title == "a_b_ _c_ _ d_ _ e and much more"


def test_the_package_is_well_formed_xml() -> None:
    with zipfile.ZipFile(io.BytesIO(table_xlsx("t's", ROWS))) as package:
        for name in package.namelist():
            ElementTree.fromstring(package.read(name))  # raises on malformed XML
        workbook = package.read("xl/workbook.xml").decode()
    assert "'t''s'!$A$1:$D$3" in workbook  # the filter's range names the sheet
