"""Read the first sheet of an XLSX workbook, cell by cell, keeping formulas visible."""

import io
import warnings
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from models.importing import problems
from models.importing.problems import ImportRefused

ZIP_MAGIC = b"PK\x03\x04"
# An XLSX unpacks to many times its size; past this ratio it is a zip bomb, not a sheet.
MAX_UNPACKED_RATIO = 100


def is_xlsx(data: bytes) -> bool:
    """Tell an XLSX (a zip archive) from text by its first bytes, whatever its name says."""
    return data.startswith(ZIP_MAGIC)


def read_xlsx(
    data: bytes,
    file_name: str,
    *,
    formula: Callable[[str], object],
    fault: Callable[[str], object],
) -> Iterator[tuple[int, list[object]]]:
    """Yield (row number, cell values) of the first sheet; formulas and errors are wrapped."""
    # openpyxl loads with the first workbook: the running bot rarely reads one.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(data, file_name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportRefused(file_name, problems.NOT_A_TABLE) from None
    try:
        if not workbook.worksheets:
            raise ImportRefused(file_name, problems.EMPTY_FILE)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong sheet size; read every row
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [_value(cell, formula, fault) for cell in cells]
    finally:
        workbook.close()


def _value(cell: Any, formula: Callable[[str], object], fault: Callable[[str], object]) -> object:
    if cell.data_type == "f":
        return formula(str(cell.value))
    if cell.data_type == "e":
        return fault(str(cell.value))
    value: object = cell.value
    return value


def _check_unpacked_size(data: bytes, file_name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused(file_name, problems.NOT_A_TABLE) from None
    if unpacked > MAX_UNPACKED_RATIO * max(len(data), 1024 * 1024):
        raise ImportRefused(file_name, problems.UNPACKS_TOO_BIG, size=problems.size_text(unpacked))
