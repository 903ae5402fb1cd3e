"""SQLite only: copy the write-ahead log into the database file between answers, not in them."""

import datetime as dt
import logging
from typing import TYPE_CHECKING

from sqlalchemy import text

from bot.db import SessionMaker

if TYPE_CHECKING:
    from bot.app import SchoolApplication
    from bot.chat.context import Context

logger = logging.getLogger(__name__)

EVERY = dt.timedelta(seconds=30)


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


def schedule(application: "SchoolApplication") -> None:
    """Checkpoint every half minute while the bot runs."""
    if application.job_queue is None:
        logger.warning("no JobQueue: SQLite checkpoints happen inside commits")
        return
    application.job_queue.run_repeating(_run, interval=EVERY, first=EVERY, name="wal-checkpoint")


async def _run(context: "Context") -> None:
    await checkpoint(context.application.bot_data.sessionmaker)
