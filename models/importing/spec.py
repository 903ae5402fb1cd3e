"""What an import kind is: its columns, its table, its natural key, and one parsed file row."""

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from sqlalchemy import ColumnElement, Table, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from models.importing.problems import Problem
from models.importing.refs import Ref, RefMap

Key = tuple[object, ...]


class Parser(Protocol):
    @property
    def type_name(self) -> str: ...

    def parse(self, raw: object) -> object: ...


def table_of(model: type[SQLModel]) -> Table:
    """Return the Core table of a SQLModel table class."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


def _shorten(value: object, limit: int = 60) -> object:
    """Cut a long cell value quoted back in a message (a pasted paragraph, say)."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


@dataclass(frozen=True)
class Column:
    """A column of an import file: how to read it and which table field (if any) it fills."""

    name: str
    parser: Parser
    field: str | None = None
    required: bool = False
    default: object = None
    ref: Ref | None = None
    aliases: tuple[str, ...] = ()

    @property
    def type_name(self) -> str:
        return self.ref.type_name if self.ref else self.parser.type_name


class Row:
    """One data row: its parsed cells, the ids its references resolved to, and its problems."""

    __slots__ = ("cells", "failed", "file_name", "headers", "ids", "number", "problems")

    def __init__(self, file_name: str, number: int, headers: Mapping[str, str]) -> None:
        self.file_name = file_name
        self.number = number
        self.headers = headers  # column name -> the header as written in the file
        self.cells: dict[str, object] = {}  # column name -> parsed value, None when blank
        self.ids: dict[str, int] = {}  # column name -> id of the referenced row
        self.failed: set[str] | None = None  # created on the first problem: most rows have none
        self.problems: list[Problem] = []

    def problem(
        self, column: str, reason: str, *, suggestion: str | None = None, **params: object
    ) -> None:
        """Record a problem in a column of this row (and mark the cell as failed)."""
        self.add_problem(column, reason, params, suggestion)

    def add_problem(
        self, column: str, reason: str, params: Mapping[str, object], suggestion: str | None
    ) -> None:
        """Record a problem with its parameters given as a mapping."""
        shown = {name: _shorten(value) for name, value in params.items()}
        if self.failed is None:
            self.failed = set()
        self.failed.add(column)
        header = self.headers.get(column, column)
        self.problems.append(
            Problem(self.file_name, self.number, header, reason, shown, suggestion)
        )

    def has(self, column: str) -> bool:
        """Tell whether the file has this column at all."""
        return column in self.headers

    def missing(self, column: str) -> bool:
        """Tell whether the value is absent: no such column, or a blank (not a bad) cell."""
        return self.cells.get(column) is None and not (self.failed and column in self.failed)

    def text(self, column: str) -> str:
        value = self.cells.get(column)
        return value if isinstance(value, str) else ""

    def date(self, column: str) -> dt.date | None:
        value = self.cells.get(column)
        return value if isinstance(value, dt.date) else None

    def time(self, column: str) -> dt.time | None:
        value = self.cells.get(column)
        return value if isinstance(value, dt.time) else None

    def flag(self, column: str) -> bool | None:
        value = self.cells.get(column)
        return value if isinstance(value, bool) else None

    def items(self, column: str) -> tuple[str, ...]:
        value = self.cells.get(column)
        return tuple(str(item) for item in value) if isinstance(value, tuple) else ()


@dataclass
class Record:
    """What one valid row asks the database to hold."""

    row: int
    key: Key
    values: dict[str, object]
    children: frozenset[object] | None = None


@dataclass(frozen=True)
class Children:
    """A child table kept equal to a set given in one cell (staff roles, group tutors)."""

    model: type[SQLModel]
    parent: str
    value: str


@dataclass
class Kind(ABC):
    """Base of every import kind; subclasses set the class attributes and the hooks."""

    name: ClassVar[str]
    title: ClassVar[str]  # gettext msgid, e.g. N_("students")
    file_names: ClassVar[tuple[str, ...]]  # other names of files of this kind (lv, ru)
    model: ClassVar[type[SQLModel]]
    columns: ClassVar[tuple[Column, ...]]
    fields: ClassVar[tuple[str, ...]]  # table fields compared and written
    key_columns: ClassVar[tuple[str, ...]]  # file columns that make the natural key
    children: ClassVar[Children | None] = None
    examples: ClassVar[tuple[Mapping[str, object], ...]]

    now: dt.datetime
    maps: dict[str, RefMap] = field(default_factory=dict)

    @classmethod
    def refs(cls) -> list[Ref]:
        """Return the references this kind's columns hold, each once."""
        found = {column.ref.name: column.ref for column in cls.columns if column.ref}
        return list(found.values())

    async def prepare(self, session: AsyncSession) -> None:
        """Load what validation needs, one query per referenced table."""
        for ref in self.refs():
            self.maps[ref.name] = await ref.load(session)

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        """Derive fields and check the row as a whole; return the child set, if managed."""
        return None

    @abstractmethod
    def key(self, values: Mapping[str, object]) -> Key:
        """Return the natural key of a record, or of a database row given as a mapping."""

    def scope(self, records: Sequence[Record]) -> list[ColumnElement[bool]] | None:
        """Return filters that select the existing rows a file can touch (None: all rows)."""
        return None
