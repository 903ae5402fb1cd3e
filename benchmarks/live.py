"""The running bot's own work, driven while questions are timed: notices, the outbox, a digest.

The application's job queue runs every scheduled job at its own pace (the outbox sender, the
audit log's views, SQLite checkpoints, and the others); on top of that the change notices run
every CHANGE_EVERY instead of every five minutes, so a short benchmark sees several runs, and
the previous month's digest is made once, midway through the timed questions.
"""

import asyncio
import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from sqlalchemy import delete, or_
from sqlmodel import col

from benchmarks.machine import rss_mb
from bot.config import Settings
from bot.db import SessionMaker
from jobs.change_notices import queue_change_notices
from jobs.digest_job import queue_digests
from models.attendance_queries import Month
from models.outbox import OutboxMessage

logger = logging.getLogger(__name__)

CHANGE_EVERY = 10.0  # seconds
# Answers are timed this long after the digest, while its messages go out: a notices run too.
AFTER_DIGEST = CHANGE_EVERY + 2.0


async def forget_earlier_runs(sessionmaker: SessionMaker) -> None:
    """Drop the notices and digests an earlier run queued, so every run does the same work."""
    async with sessionmaker.begin() as session:
        await session.execute(
            delete(OutboxMessage).where(
                or_(
                    col(OutboxMessage.dedupe_key).startswith("change:"),
                    col(OutboxMessage.dedupe_key).startswith("digest:"),
                )
            )
        )


@dataclass
class LiveWork:
    """Runs the notices and the digest beside the timed questions; records what they took."""

    sessionmaker: SessionMaker
    settings: Settings
    midway: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    notice_runs: list[float] = field(default_factory=list)  # seconds each
    notices_queued: int = 0
    digest_seconds: float = 0.0
    digest_rows: int = 0
    rss_before_digest: float = 0.0
    rss_after_digest: float = 0.0

    async def run(self) -> None:
        """Notices now and every CHANGE_EVERY; the digest at `midway`; `done` after both."""
        notices = asyncio.create_task(self._notices())
        try:
            await self.midway.wait()
            await self._digest()
            await asyncio.sleep(AFTER_DIGEST)
        finally:
            notices.cancel()
            await asyncio.gather(notices, return_exceptions=True)
            self.done.set()

    async def _notices(self) -> None:
        while True:
            started = time.perf_counter()
            now = dt.datetime.now(dt.UTC)
            self.notices_queued += await queue_change_notices(self.sessionmaker, self.settings, now)
            self.notice_runs.append(time.perf_counter() - started)
            await asyncio.sleep(CHANGE_EVERY)

    async def _digest(self) -> None:
        month = Month.of(dt.datetime.now(self.settings.tz).date()).shift(-1)
        self.rss_before_digest = rss_mb()
        started = time.perf_counter()
        self.digest_rows, _unlinked = await queue_digests(
            self.sessionmaker, self.settings, month, claim=False
        )
        self.digest_seconds = time.perf_counter() - started
        self.rss_after_digest = rss_mb()
        logger.info("digest of %s: %d rows in %.1f s", month, self.digest_rows, self.digest_seconds)
