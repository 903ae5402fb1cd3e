"""Hold a database's write lock from the side, and see which statements the bot sends meanwhile.

Both are real: a second SQLite connection takes the write lock (BEGIN IMMEDIATE), a second
PostgreSQL session locks a table against writes; reads go on. SQLAlchemy's own event shows a
statement as the bot sends it, so a test knows a write is waiting without guessing a delay.
"""

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import create_engine


@asynccontextmanager
async def write_lock(database_url: str, *, table: str) -> AsyncIterator[None]:
    """Keep writers out (SQLite: the whole file; PostgreSQL: the table) until the block ends."""
    if database_url.startswith("sqlite"):
        holder = sqlite3.connect(str(make_url(database_url).database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        await connection.execute(text(f'LOCK TABLE "{table}" IN SHARE MODE'))
        try:
            yield
        finally:
            await connection.rollback()
    await engine.dispose()


def impatient_engine(database_url: str) -> AsyncEngine:
    """An engine that gives up waiting for another's lock after 0.2 s (the bot waits 30 s)."""
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url)
        # Connect listeners run in order: this one after the engine's own busy_timeout.
        event.listen(engine.sync_engine, "connect", _impatient_sqlite)
        return engine
    return create_engine(database_url, connect_args={"server_settings": {"lock_timeout": "200"}})


def _impatient_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=200")
    cursor.close()


class StatementWatch:
    """Count the statements the engines send that begin with a word (INSERT, UPDATE...)."""

    def __init__(self, *engines: AsyncEngine, verb: str, table: str) -> None:
        self.verb, self.table = verb.upper(), table
        self.count = 0
        self._changed = asyncio.Event()
        for engine in engines:
            event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        verb_matches = not self.verb or words[:1] == [self.verb]  # "" counts every statement
        if verb_matches and self.table in statement.split("(")[0]:
            self.count += 1
            self._changed.set()

    async def reach(self, count: int) -> None:
        """Wait until this many such statements were sent."""
        while self.count < count:
            self._changed.clear()
            await self._changed.wait()
