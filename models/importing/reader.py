"""Read an uploaded file into a header row and data rows: CSV (any common dialect) or XLSX."""

import csv
import itertools
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

from models.import_limits import ImportLimits
from models.importing import problems
from models.importing.encoding import decode
from models.importing.problems import ImportRefused
from models.importing.xlsx import MAX_COLUMNS, is_xlsx, read_xlsx

_SEPARATORS = (";", ",", "\t")
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Formula:
    """An XLSX cell holding a formula where a value should be."""

    text: str


@dataclass(frozen=True)
class CellFault:
    """An XLSX cell holding an error value such as #N/A."""

    text: str


@dataclass
class Sheet:
    """A file's header row, and its data rows, read from the file as they are asked for."""

    headers: list[str]
    rows: Iterator[tuple[int, list[object]]]  # (row number as the user sees it, cells)
    close: Callable[[], None]  # stop reading early: releases the workbook


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(data: bytes, file_name: str, *, limits: ImportLimits) -> Sheet:
    """Open a CSV or XLSX file: read its header and first data row, refuse anything else.

    The other rows are read when asked for; past `limits.max_rows` they are refused.
    """
    if not data or data.isspace():
        raise ImportRefused(file_name, problems.EMPTY_FILE)
    raw_rows: Generator[tuple[int, list[object]], None, None]
    if is_xlsx(data):
        raw_rows = read_xlsx(
            data,
            file_name,
            max_unpacked=limits.max_unpacked_bytes,
            formula=Formula,
            fault=CellFault,
        )
    else:
        raw_rows = _read_csv(decode(data, file_name), file_name)
    try:
        return _open(raw_rows, file_name, limits.max_rows)
    except BaseException:
        raw_rows.close()
        raise


def _open(
    raw_rows: Generator[tuple[int, list[object]], None, None], file_name: str, max_rows: int
) -> Sheet:
    filled = ((number, cells) for number, cells in raw_rows if not all(map(is_blank, cells)))
    header = next(filled, None)
    if header is None:
        raise ImportRefused(file_name, problems.EMPTY_FILE)
    headers = _headers(header[1], file_name)
    rows = _data_rows(filled, len(headers), file_name, max_rows)
    first = next(rows, None)
    if first is None:
        raise ImportRefused(file_name, problems.NO_DATA_ROWS)
    return Sheet(headers, itertools.chain((first,), rows), raw_rows.close)


def _data_rows(
    filled: Iterator[tuple[int, list[object]]], width: int, file_name: str, max_rows: int
) -> Iterator[tuple[int, list[object]]]:
    """Yield the rows below the header as wide as it; refuse the row past the limit."""
    for count, (number, cells) in enumerate(filled):
        if count == max_rows:
            raise ImportRefused(file_name, problems.TOO_MANY_ROWS, limit=max_rows)
        yield number, (cells + [None] * width)[:width]


def _separator(text: str) -> str:
    """Pick the separator that splits the header line the most (quoted parts ignored)."""
    first = next((line for line in _lines(text) if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {separator: unquoted.count(separator) for separator in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def _lines(text: str) -> Iterator[str]:
    """Yield the lines of a text with their line ends, as a file opened with newline=''.

    Slices of the text, one at a time: no second copy of a big file.
    """
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start : end.end()]
        start = end.end()
    if start < len(text):
        yield text[start:]


def _read_csv(text: str, file_name: str) -> Generator[tuple[int, list[object]], None, None]:
    reader = csv.reader(_lines(text), delimiter=_separator(text))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except csv.Error:  # a field past csv's size limit, or a stray quote at the end
        raise ImportRefused(file_name, problems.DAMAGED, row=number + 1) from None


def _headers(cells: list[object], file_name: str) -> list[str]:
    """Return the header row without its trailing blanks; refuse one wider than any table."""
    headers = ["" if is_blank(cell) else str(cell).strip() for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise ImportRefused(file_name, problems.TOO_MANY_COLUMNS, limit=MAX_COLUMNS)
    return headers
