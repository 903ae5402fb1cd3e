"""Validate every row before anything is written: cells, references, whole rows, duplicates."""

from collections.abc import Sequence

from models.i18n import N_
from models.importing.cells import CellError
from models.importing.headers import Layout
from models.importing.problems import Problem
from models.importing.reader import CellFault, Formula, Sheet, is_blank
from models.importing.spec import Key, Kind, Record, Row

REQUIRED = N_("A value is required.")
FORMULA = N_("The cell holds a formula ({formula}); save the file with values instead.")
CELL_FAULT = N_("The cell holds an error: {value}.")
DUPLICATE = N_("Repeats row {row}: the same {columns}.")


def parse_rows(placed: Layout, sheet: Sheet, file_name: str) -> list[Row]:
    """Parse every cell of every row; bad cells become problems of their row."""
    rows = []
    for number, cells in sheet.rows:
        row = Row(file_name, number, placed.headers)
        for column, index in placed.positions:
            raw = cells[index]
            if is_blank(raw):
                row.cells[column.name] = None
                if column.required:
                    row.problem(column.name, REQUIRED)
            elif isinstance(raw, Formula):
                row.problem(column.name, FORMULA, formula=raw.text)
            elif isinstance(raw, CellFault):
                row.problem(column.name, CELL_FAULT, value=raw.text)
            else:
                try:
                    row.cells[column.name] = column.parser.parse(raw)
                except CellError as error:
                    row.add_problem(column.name, error.reason, error.params, None)
        rows.append(row)
    return rows


def build_records(kind: Kind, placed: Layout, rows: Sequence[Row]) -> list[Record]:
    """Resolve references and check whole rows; return the records of the valid rows."""
    present = [name for name in kind.key_columns if name in placed.headers]
    key_headers = ", ".join(placed.headers[name] for name in present)
    records: list[Record] = []
    seen: dict[Key, int] = {}
    for row in rows:
        values: dict[str, object] = {}
        for column, _ in placed.positions:
            value = row.cells.get(column.name)
            if column.ref is not None and value is not None:
                refs = kind.maps[column.ref.name]
                ident = refs.find(str(value))
                if ident is None:
                    suggestion = refs.suggest(str(value))
                    row.problem(column.name, column.ref.unknown, value=value, suggestion=suggestion)
                else:
                    row.ids[column.name] = ident
                value = ident
            if column.field is not None:
                values[column.field] = column.default if value is None else value
        children = kind.complete(row, values)
        if row.problems:
            continue
        key = kind.key(values)
        if key in seen:
            row.problem(key_headers, DUPLICATE, row=seen[key], columns=key_headers)
            continue
        seen[key] = row.number
        records.append(Record(row.number, key, values, children))
    return records


def all_problems(rows: Sequence[Row]) -> list[Problem]:
    """Return every row's problems, in the order of the file."""
    return [problem for row in rows for problem in row.problems]
