"""Read every table of the database, to show that a refused import changed nothing."""

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection

from bot.db import SessionMaker
from models.tables import metadata

Dump = dict[str, list[tuple[object, ...]]]


def _table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def dump(sessionmaker: SessionMaker, *, without: tuple[str, ...] = ()) -> Dump:
    """Return every row of every table (except `without`), in primary-key order."""
    found: Dump = {}
    async with sessionmaker() as session:
        connection = await session.connection()
        present = await connection.run_sync(_table_names)
        for table in metadata.sorted_tables:
            if table.name in without or table.name not in present:
                continue
            query = select(table).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in await session.execute(query)]
    return found


async def count_rows(sessionmaker: SessionMaker, table_name: str) -> int:
    async with sessionmaker() as session:
        table = metadata.tables[table_name]
        return len((await session.execute(select(table.c.id))).all())
