"""SQLite only: copy the write-ahead log into the database file between answers, not in them."""

import logging

from sqlalchemy import text

from bot.db import SessionMaker

logger = logging.getLogger(__name__)


async def checkpoint(sessionmaker: SessionMaker) -> tuple[int, int] | None:
    """Checkpoint without waiting for readers or writers; return (log pages, pages copied).

    None on a database that is not SQLite. Runs in the driver's thread, so the bot answers
    meanwhile.
    """
    async with sessionmaker() as session:
        if session.bind is None or session.bind.dialect.name != "sqlite":
            return None
        busy, log_pages, copied = (
            await session.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))
        ).one()
    if busy:
        logger.debug("checkpoint deferred: the database was busy")
    return int(log_pages), int(copied)
