"""Read an uploaded file into a header row and data rows: CSV (any common dialect) or XLSX."""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from models.import_limits import ImportLimits
from models.importing import problems
from models.importing.encoding import decode
from models.importing.problems import ImportRefused
from models.importing.xlsx import MAX_COLUMNS, is_xlsx, read_xlsx

_SEPARATORS = (";", ",", "\t")


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
    headers: list[str]
    rows: list[tuple[int, list[object]]]  # (row number as the user sees it, cells)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(data: bytes, file_name: str, *, limits: ImportLimits) -> Sheet:
    """Parse the bytes of a CSV or XLSX file; refuse anything else, or too many rows."""
    if not data.strip():
        raise ImportRefused(file_name, problems.EMPTY_FILE)
    raw_rows: Iterable[tuple[int, list[object]]]
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
    return _to_sheet(raw_rows, file_name, limits.max_rows)


def _separator(text: str) -> str:
    """Pick the separator that splits the header line the most (quoted parts ignored)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {separator: unquoted.count(separator) for separator in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def _read_csv(text: str, file_name: str) -> Iterable[tuple[int, list[object]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except csv.Error:  # a field past csv's size limit, or a stray quote at the end
        raise ImportRefused(file_name, problems.DAMAGED, row=number + 1) from None


def _to_sheet(raw_rows: Iterable[tuple[int, list[object]]], file_name: str, max_rows: int) -> Sheet:
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for number, cells in raw_rows:
        if all(is_blank(cell) for cell in cells):
            continue
        if headers is None:
            headers = _headers(cells, file_name)
            continue
        if len(rows) == max_rows:
            raise ImportRefused(file_name, problems.TOO_MANY_ROWS, limit=max_rows)
        width = len(headers)
        rows.append((number, (cells + [None] * width)[:width]))
    if headers is None:
        raise ImportRefused(file_name, problems.EMPTY_FILE)
    if not rows:
        raise ImportRefused(file_name, problems.NO_DATA_ROWS)
    return Sheet(headers, rows)


def _headers(cells: list[object], file_name: str) -> list[str]:
    """Return the header row without its trailing blanks; refuse one wider than any table."""
    headers = ["" if is_blank(cell) else str(cell).strip() for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise ImportRefused(file_name, problems.TOO_MANY_COLUMNS, limit=MAX_COLUMNS)
    return headers
