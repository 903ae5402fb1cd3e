"""Rows for bulk inserts, with ids handed out in advance so references need no round trips."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from models.school import StudyGroup

CHUNK = 2000


class SchoolNotEmpty(RuntimeError):
    """The database already holds a school; the demo only fills an empty one."""


class Rows:
    """Table rows in insertion order; `add` returns the new row's id."""

    def __init__(self) -> None:
        self.tables: dict[type[SQLModel], list[dict[str, Any]]] = defaultdict(list)
        self._next_id: dict[type[SQLModel], int] = defaultdict(lambda: 1)

    def add(self, model: type[SQLModel], **values: Any) -> int:
        ident = self._next_id[model]
        self._next_id[model] = ident + 1
        self.tables[model].append({"id": ident, **values})
        return ident

    def count(self, model: type[SQLModel]) -> int:
        return len(self.tables[model])

    def of(self, model: type[SQLModel]) -> list[dict[str, Any]]:
        return self.tables[model]


async def ensure_empty(session: AsyncSession) -> None:
    """Refuse to fill a database that already has groups."""
    groups = await session.scalar(select(func.count()).select_from(StudyGroup))
    if groups:
        raise SchoolNotEmpty(f"the database already holds a school ({groups} groups)")


async def write(session: AsyncSession, rows: Rows, order: Iterable[type[SQLModel]]) -> None:
    """Insert every table in dependency order, in chunks; fix PostgreSQL's id sequences."""
    for model in order:
        data = rows.of(model)
        keys = set().union(*data) if data else set()
        data = [{key: row.get(key) for key in keys} for row in data]  # one shape for executemany
        table = model.__table__  # type: ignore[attr-defined]  # SQLModel sets it
        for start in range(0, len(data), CHUNK):
            await session.execute(insert(table), data[start : start + CHUNK])
        has_serial = "id" in table.c  # a table keyed otherwise (guardian_consent) has none
        if data and has_serial and session.get_bind().dialect.name == "postgresql":
            await session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f'(SELECT max(id) FROM "{table.name}"))'
                )
            )
