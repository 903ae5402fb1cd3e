"""Engine and session factory: SQLite with WAL and a busy timeout, or PostgreSQL."""

from functools import partial
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)

from models.types import SessionMaker

__all__ = ["SessionMaker", "create_engine", "make_sessionmaker"]


def create_engine(
    url: str, *, checkpoint_in_background: bool = False, **kwargs: Any
) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL, foreign keys and a busy timeout.

    With checkpoint_in_background (the running bot), SQLite's commits no longer copy the
    write-ahead log into the database file now and then, which costs a disk flush inside
    whichever answer happens to commit: jobs/wal_checkpoint.py does it between answers.
    """
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        pragmas = SQLITE_PRAGMAS + (
            ("PRAGMA wal_autocheckpoint=0",) if checkpoint_in_background else ()
        )
        event.listen(engine.sync_engine, "connect", partial(_run_pragmas, pragmas))
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=30000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)


def _run_pragmas(pragmas: tuple[str, ...], dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in pragmas:
        cursor.execute(pragma)
    cursor.close()


def make_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    """Return the session factory every handler and job opens its transaction with."""
    return async_sessionmaker(engine, expire_on_commit=False)
