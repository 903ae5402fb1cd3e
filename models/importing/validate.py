"""Validate rows as they are read: cells, references, whole rows, and duplicates in the file."""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from models.i18n import N_
from models.importing.cells import CellError
from models.importing.headers import Layout
from models.importing.problems import Problem
from models.importing.reader import CellFault, Formula, is_blank
from models.importing.spec import Key, Kind, Record, Row

REQUIRED = N_("A value is required.")
FORMULA = N_("The cell holds a formula ({formula}); save the file with values instead.")
CELL_FAULT = N_("The cell holds an error: {value}.")
DUPLICATE = N_("Repeats row {row}: the same {columns}.")
# Problems kept for the report, in the order of the file; the rest are only counted. Far
# more than anyone reads, few enough that a file wrong in every row stays small in memory.
KEPT_PROBLEMS = 1000


@dataclass
class Found:
    """The problems found so far: the first KEPT_PROBLEMS of them, and how many in all."""

    kept: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, problems: list[Problem]) -> None:
        room = KEPT_PROBLEMS - len(self.kept)
        self.kept += problems[:room]
        self.count += len(problems)


class Checker:
    """Check a file's rows batch by batch, remembering only the keys seen (for duplicates)."""

    def __init__(self, kind: Kind, placed: Layout, file_name: str) -> None:
        self.kind = kind
        self.placed = placed
        self.file_name = file_name
        present = [name for name in kind.key_columns if name in placed.headers]
        self.key_headers = ", ".join(placed.headers[name] for name in present)
        self.seen: dict[Key, int] = {}  # natural key -> the row that first had it
        self.found = Found()
        self.rows = 0

    def take(self, rows: Iterator[tuple[int, list[object]]], size: int) -> list[Record] | None:
        """Read and check up to `size` rows; return the valid ones' records, None at the end."""
        records: list[Record] = []
        read = 0
        for number, cells in itertools.islice(rows, size):
            read += 1
            row = self.parse(number, cells)
            record = self.resolve(row)
            if row.problems:
                self.found.add(sorted(row.problems, key=self.placed.problem_order))
            elif record is not None:
                records.append(record)
        self.rows += read
        return records if read else None

    def parse(self, number: int, cells: list[object]) -> Row:
        """Parse every cell of a row; bad cells become problems of the row."""
        row = Row(self.file_name, number, self.placed.headers)
        for column, index in self.placed.positions:
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
        return row

    def resolve(self, row: Row) -> Record | None:
        """Resolve a row's references and check it whole; return its record if it is valid."""
        kind = self.kind
        values: dict[str, object] = {}
        for column, _ in self.placed.positions:
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
            return None
        key = kind.key(values)
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            row.problem(self.key_headers, DUPLICATE, row=first, columns=self.key_headers)
            return None
        return Record(row.number, key, values, children)
