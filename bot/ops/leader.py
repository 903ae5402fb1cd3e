"""Leadership among worker processes: a PostgreSQL advisory lock held on a connection of its own."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.pool import NullPool

from bot.db import create_engine

logger = logging.getLogger(__name__)

# Any fixed number below 2**31: every worker of one database contends for it (advisory locks
# are per database). pg_locks shows it as objid with classid 0 and objsubid 1.
LOCK_KEY = 0x5C0B07
POLL = 1.5  # seconds between attempts to become the leader
CHECK = 3.0  # seconds between checks that the leader's connection still holds the lock
TIMEOUT = 5.0  # seconds a check may take before the connection counts as lost

_HOLDS = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 "
    "AND objid = :key AND objsubid = 1 AND granted AND pid = pg_backend_pid()"
)


class LeaderLock:
    """The advisory lock on a dedicated connection; PostgreSQL frees it when that connection dies.

    A killed process's connection closes with it, so a standby takes over at its next attempt.
    """

    def __init__(self, database_url: str, *, key: int = LOCK_KEY) -> None:
        # NullPool: closing the connection really closes it, and with it the lock.
        self._engine = create_engine(database_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self._key = key
        self._connection: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; False when another process does."""
        async with asyncio.timeout(TIMEOUT):
            if self._connection is None:
                self._connection = await self._engine.connect()
            taken = await self._connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
            )
        return bool(taken)

    async def holds(self) -> bool:
        """Whether the connection is alive and still holds the lock; a lost one is closed."""
        if self._connection is None:
            return False
        try:
            async with asyncio.timeout(TIMEOUT):
                held = await self._connection.scalar(_HOLDS, {"key": self._key})
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            logger.warning("the leader's database connection is lost: %s", _first_line(exc))
            await self._close()
            return False
        if not held:
            await self._close()
        return bool(held)

    async def release(self) -> None:
        """Give the lock up (closing its connection) and dispose of the engine."""
        await self._close()
        await self._engine.dispose()

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(SQLAlchemyError, OSError, TimeoutError):
                async with asyncio.timeout(TIMEOUT):
                    await connection.close()


async def lead_while_elected(
    lock: LeaderLock,
    *,
    stopping: asyncio.Event,
    on_elected: Callable[[], Awaitable[None]],
    on_deposed: Callable[[], Awaitable[None]],
    poll: float = POLL,
    check: float = CHECK,
) -> None:
    """Contend for the lock until `stopping` is set; start and stop the leader's work with it.

    A database that cannot be reached is logged once per outage; the attempts go on.
    """
    leading, unreachable = False, False
    try:
        while not stopping.is_set():
            if not leading:
                try:
                    leading = await lock.try_acquire()
                    unreachable = False
                except (SQLAlchemyError, OSError, TimeoutError) as exc:
                    if not unreachable:
                        logger.warning("cannot contend to lead: %s", _first_line(exc))
                    unreachable = True
                    await lock.release()
                if leading:
                    logger.info("this worker leads: it runs the outbox sender and the jobs")
                    await on_elected()
            elif not await lock.holds():
                leading = False
                logger.warning("this worker no longer leads; it stops the leader's work")
                await on_deposed()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), check if leading else poll)
    finally:
        if leading:
            await on_deposed()
        await lock.release()


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
