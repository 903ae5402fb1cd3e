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
    from openpyxl.cell.read_only import EMPTY_CELL

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
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong sheet size; read every row
        # One column past the limit shows whether the header goes on beyond it; the rows
        # below are then read only as wide as the header.
        header = next(_rows(sheet, MAX_COLUMNS + 1, file_name, reached), (0, ()))[1]
        width = max((i + 1 for i, cell in enumerate(header) if cell is not EMPTY_CELL), default=1)
        for number, cells in _rows(sheet, width, file_name, reached):
            yield number, [_value(cell, formula, fault) for cell in cells]
    except ImportRefused:
        raise
    except Exception as exc:  # see above: any failure means a damaged file
        logger.info("%s: workbook breaks after row %d: %r", file_name, reached[0], exc)
        raise ImportRefused(file_name, problems.DAMAGED, row=reached[0] + 1) from None
    finally:
        workbook.close()


def _rows(
    sheet: Any, width: int, file_name: str, reached: list[int]
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield the rows holding any cell, `width` cells each, with their numbers."""
    from openpyxl.cell.read_only import EMPTY_CELL  # loaded already by read_xlsx

    blank: object = None  # openpyxl fills a gap of missing rows with one tuple, repeated
    for number, cells in enumerate(sheet.iter_rows(max_col=width), start=1):
        reached[0] = number - 1
        if number > MAX_SHEET_ROW:
            raise ImportRefused(file_name, problems.DAMAGED, row=number)
        if cells is blank:
            continue
        if all(cell is EMPTY_CELL for cell in cells):
            blank = cells
            continue
        yield number, cells
        reached[0] = number


def _value(cell: Any, formula: Callable[[str], object], fault: Callable[[str], object]) -> object:
    if cell.data_type == "f":
        return formula(str(cell.value))
    if cell.data_type == "e":
        return fault(str(cell.value))
    value: object = cell.value
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
