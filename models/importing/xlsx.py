"""Read the first sheet of an XLSX workbook, cell by cell, keeping formulas visible."""

import io
import logging
import warnings
import zipfile
from collections.abc import Callable, Generator, Iterator
from typing import Any

from models.importing import problems
from models.importing.problems import ImportRefused

logger = logging.getLogger(__name__)

ZIP_MAGIC = b"PK\x03\x04"
# A workbook of data has a few dozen parts; thousands mean a crafted archive.
MAX_PARTS = 500
# Deflate reaches about 1000:1 on crafted input; real sheets stay far below this ratio.
MAX_PART_RATIO = 200
# The importer's kinds have at most a few dozen columns; beyond this a sheet is not a table.
MAX_COLUMNS = 200
# The most rows Excel can hold: a row number past it is a crafted file.
MAX_SHEET_ROW = 1_048_576


def is_xlsx(data: bytes) -> bool:
    """Tell an XLSX (a zip archive) from text by its first bytes, whatever its name says."""
    return data.startswith(ZIP_MAGIC)


def read_xlsx(
    data: bytes,
    file_name: str,
    *,
    max_unpacked: int,
    formula: Callable[[str], object],
    fault: Callable[[str], object],
) -> Generator[tuple[int, list[object]], None, None]:
    """Yield (row number, cell values) of the first sheet; formulas and errors are wrapped."""
    # openpyxl loads with the first workbook: the running bot rarely reads one.
    from openpyxl import load_workbook

    check_archive(data, file_name, max_unpacked=max_unpacked)
    # openpyxl and the XML and zip layers under it raise whatever a broken part makes them
    # raise (ValueError, IndexError, KeyError, TypeError, ParseError, BadZipFile, zlib.error,
    # EOFError...), while opening and at any row: each one is a damaged file, not a bug of ours.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # see above: any failure means a damaged file
        logger.info("%s: workbook cannot be opened: %r", file_name, exc)
        raise ImportRefused(file_name, problems.NOT_A_TABLE) from None
    reached = [0]  # the last row number read, for the refusal
    try:
        if not workbook.worksheets:
            raise ImportRefused(file_name, problems.EMPTY_FILE)
        for number, cells in _rows(workbook.worksheets[0], file_name, reached):
            yield number, [_value(cell, formula, fault) for cell in cells]
    except ImportRefused:
        raise
    except Exception as exc:  # see above: any failure means a damaged file
        logger.info("%s: workbook breaks after row %d: %r", file_name, reached[0], exc)
        raise ImportRefused(file_name, problems.DAMAGED, row=reached[0] + 1) from None
    finally:
        workbook.close()


def _rows(
    sheet: Any, file_name: str, reached: list[int]
) -> Iterator[tuple[int, list[dict[str, Any] | None]]]:
    """Yield the rows from the first one holding a cell, as wide as that (header) row.

    Cells beyond one column past the limit are not read: the header row shows whether it
    goes on beyond the limit, and the rows below are read only as wide as the header.
    """
    width = MAX_COLUMNS + 1
    header = False
    for number, found in _parsed_rows(sheet):
        if number > MAX_SHEET_ROW:
            raise ImportRefused(file_name, problems.DAMAGED, row=number)
        if number <= reached[0]:
            continue  # a row number repeated or going back: openpyxl skips such rows too
        cells: list[dict[str, Any] | None] = [None] * width
        for cell in found:
            if cell["column"] <= width:
                cells[cell["column"] - 1] = cell
        if not header:
            if not any(cells):
                continue
            width = max(index + 1 for index, cell in enumerate(cells) if cell)
            cells, header = cells[:width], True
        yield number, cells
        reached[0] = number


def _parsed_rows(sheet: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Yield each row of a read-only worksheet as (number, its cells), forgetting it after.

    openpyxl's own row reader keeps every row element it has read (emptied, but attached to
    the sheet's tree) and the attributes of every row with more than a number: memory that
    grows with the file. This is its reader's loop, letting go of each row once read. It
    reads openpyxl's internals (pinned in pyproject.toml), through its safe XML parser.
    """
    from openpyxl.worksheet._reader import DATA_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        rows_of: Any = None  # the sheetData element, parent of every row
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == DATA_TAG:
                    rows_of = element
                continue
            if element.tag == ROW_TAG:
                yield parser.parse_row(element)
                parser.row_dimensions.clear()
                if rows_of is not None:
                    rows_of.clear()


def _value(
    cell: dict[str, Any] | None, formula: Callable[[str], object], fault: Callable[[str], object]
) -> object:
    if cell is None:
        return None
    if cell["data_type"] == "f":
        return formula(str(cell["value"]))
    if cell["data_type"] == "e":
        return fault(str(cell["value"]))
    value: object = cell["value"]
    return value


def check_archive(data: bytes, file_name: str, *, max_unpacked: int) -> None:
    """Refuse an archive whose parts would unpack past the limit, before any part is parsed.

    Python's zipfile never inflates a part past the size its header declares (it stops and
    reports a bad CRC), so the declared sizes bound what openpyxl can unpack.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportRefused(file_name, problems.NOT_A_TABLE) from None
    if len(parts) > MAX_PARTS:
        raise ImportRefused(file_name, problems.TOO_MANY_PARTS, count=len(parts))
    unpacked = sum(part.file_size for part in parts)
    crafted = any(
        part.file_size > 1024 * 1024 and part.file_size > MAX_PART_RATIO * part.compress_size
        for part in parts
    )
    if unpacked > max_unpacked or crafted:
        raise ImportRefused(
            file_name,
            problems.UNPACKS_TOO_BIG,
            size=problems.size_text(unpacked),
            limit=problems.size_text(max_unpacked),
        )
