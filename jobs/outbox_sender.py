"""The outbox sender: claims due rows, paces them to Telegram's limits, records each outcome.

Delivery guarantee. A row is claimed (pending -> sending, with this sender's token and a lease)
one at a time, right before its request, so `sending` means "the request may be in flight".
Stopping the sender (task cancelled, Ctrl-C, `stop()`) lets the requests in flight finish and be
recorded, so a stop and restart neither resends nor skips anything. Only if the process dies
hard while a request is in flight is the outcome unknown: that row (at most `concurrency` rows)
stays `sending` until its lease ends and is then sent again. We chose a possible duplicate over
a possible loss, because a lost "lesson cancelled" notice costs more than a repeated one.
The same holds for a timeout: Telegram may have delivered the message, and the retry repeats it.
"""

import asyncio
import logging
import time as monotonic_time
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from telegram import Bot

from bot.db import SessionMaker
from bot.documents.digest_render import RowRenderer
from jobs.outbox_outcomes import Outcomes
from jobs.outbox_pace import Pace
from jobs.outbox_progress import Clock, ProgressReporter
from jobs.sender_config import SenderConfig, in_quiet_hours
from models import outbox
from models.outbox import Candidate, OutboxMessage
from models.outbox_figures import next_retry_at
from models.types import utcnow

logger = logging.getLogger(__name__)


class OutboxSender:
    """One per process; `run_forever()` in the bot, `drain()` from the command line and tests."""

    def __init__(
        self,
        bot: Bot,
        sessionmaker: SessionMaker,
        config: SenderConfig,
        *,
        clock: Clock = utcnow,
        on_rate_limited: Callable[[], None] = lambda: None,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.config = config
        self.clock = clock
        self.token = uuid.uuid4().hex
        self.progress = ProgressReporter(bot, sessionmaker, config, clock=clock)
        self.renderer = RowRenderer(sessionmaker)  # digests are made from frozen figures
        self.pace = Pace(config.rate_per_second)
        self.outcomes = Outcomes(
            bot,
            sessionmaker,
            config,
            token=self.token,
            clock=clock,
            renderer=self.renderer,
            pace=self.pace,
            on_rate_limited=on_rate_limited,
        )
        self._chat_ready: dict[int, float] = {}  # chat -> monotonic time it may get the next one
        self._in_flight: dict[int, asyncio.Task[None]] = {}  # row id -> its delivery
        self._busy_chats: set[int] = set()
        self._claiming: set[asyncio.Future[bool]] = set()
        self._slots = asyncio.Semaphore(config.concurrency)
        self._stop_requested = False
        self._keep_running: Callable[[], bool] = lambda: True

    # The loops ----------------------------------------------------------------------------
    async def run_forever(self, *, keep_running: Callable[[], bool] = lambda: True) -> None:
        """Send whatever becomes due until cancelled, stopped, or keep_running() is false."""
        self._keep_running = keep_running
        try:
            while not self._stopping:
                await self._pump()
                await self.progress.tick(force=False)
                if not self._stopping:
                    await asyncio.sleep(self.config.idle_poll)
        finally:
            await self._settle()

    async def drain(self) -> None:
        """Send everything due now (waiting out retries and 429s), then report and return.

        Non-urgent rows held by quiet hours stay pending.
        """
        try:
            while True:
                sent_something = await self._pump()
                await self._settle()
                await self.progress.tick(force=False)
                if sent_something:
                    continue
                wait = await self._seconds_until_next_due()
                if wait is None:
                    break
                # Look again soon: rows another sender holds may be settled before their lease ends.
                await asyncio.sleep(min(wait, self.config.idle_poll))
        finally:
            await self._settle()
        await self.progress.tick(force=True)

    def stop(self) -> None:
        """Ask the loop to finish its requests in flight and return."""
        self._stop_requested = True

    @property
    def _stopping(self) -> bool:
        return self._stop_requested or not self._keep_running()

    # One pass over the due rows -------------------------------------------------------------
    async def _pump(self) -> bool:
        """Claim and start sending the due rows; return whether any was started."""
        started = False
        while not self._stopping:
            self._forget_idle_chats()
            now = self.clock()
            quiet = self._quiet(now)
            async with self.sessionmaker.begin() as session:
                candidates = await outbox.list_candidates(
                    session, now=now, urgent_only=quiet, limit=200
                )
                if candidates and await outbox.skip_blocked_accounts(session):
                    candidates = await outbox.list_candidates(
                        session, now=now, urgent_only=quiet, limit=200
                    )
            if not candidates:
                return started
            progressed = False
            for candidate in candidates:
                if self._stopping:
                    break
                if not self._chat_is_ready(candidate):
                    continue
                await self.pace.slot()
                await self._slots.acquire()
                claiming = asyncio.ensure_future(self._claim_and_start(candidate, silent=quiet))
                self._claiming.add(claiming)
                claiming.add_done_callback(self._claiming.discard)
                # Shielded: once claimed, a row is always sent and recorded, even on cancel.
                if not await asyncio.shield(claiming):
                    continue
                started = progressed = True
                await self.progress.tick(force=False)
            if not progressed:
                await self._wait_for_a_chat(candidates)
        return started

    def _forget_idle_chats(self) -> None:
        """Keep the per-chat pacing memory small: drop chats whose interval has passed."""
        if len(self._chat_ready) > 10_000:
            now = monotonic_time.monotonic()
            self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > now}

    def _chat_is_ready(self, candidate: Candidate) -> bool:
        if candidate.id in self._in_flight or candidate.chat_id in self._busy_chats:
            return False
        return self._chat_ready.get(candidate.chat_id, 0.0) <= monotonic_time.monotonic()

    async def _wait_for_a_chat(self, candidates: Sequence[Candidate]) -> None:
        """Every due row waits for its chat: sleep until the first chat frees up."""
        now = monotonic_time.monotonic()
        ready = [self._chat_ready.get(c.chat_id, now) for c in candidates]
        if self._in_flight:
            await asyncio.wait(list(self._in_flight.values()), return_when=asyncio.FIRST_COMPLETED)
            return
        await asyncio.sleep(max(0.01, min(ready) - now))

    async def _claim_and_start(self, candidate: Candidate, *, silent: bool) -> bool:
        try:
            row = await self._claim(candidate)
        except BaseException:
            self._slots.release()
            raise
        if row is None:
            self._slots.release()
            return False
        self._start(row, silent=silent)
        return True

    async def _claim(self, candidate: Candidate) -> OutboxMessage | None:
        now = self.clock()
        lease_until = now + timedelta(seconds=self.config.lease_seconds)
        async with self.sessionmaker.begin() as session:
            row = await outbox.claim(
                session, row_id=candidate.id, token=self.token, now=now, lease_until=lease_until
            )
            if row is not None:
                session.expunge(row)
        return row

    def _start(self, row: OutboxMessage, *, silent: bool) -> None:
        assert row.id is not None
        self._busy_chats.add(row.chat_id)
        task = asyncio.create_task(self._deliver(row, silent=silent), name=f"outbox-{row.id}")
        self._in_flight[row.id] = task

    async def _settle(self) -> None:
        """Wait for every request in flight to finish and be recorded."""
        while self._in_flight or self._claiming:
            work: list[asyncio.Future[bool] | asyncio.Task[None]] = [
                *self._claiming,
                *self._in_flight.values(),
            ]
            await asyncio.shield(asyncio.gather(*work, return_exceptions=True))

    async def _seconds_until_next_due(self) -> float | None:
        """How long until a waiting row becomes due (None: nothing waits)."""
        now = self.clock()
        async with self.sessionmaker() as session:
            due = await next_retry_at(session, urgent_only=self._quiet(now))
            if await outbox.list_candidates(
                session, now=now, urgent_only=self._quiet(now), limit=1
            ):
                return max(0.01, self.pace.paused_for())
        if due is None:
            return None
        return max(0.01, (due - now).total_seconds())

    def _quiet(self, now: datetime) -> bool:
        config = self.config
        return in_quiet_hours(now, start=config.quiet_start, end=config.quiet_end, tz=config.tz)

    # One message ----------------------------------------------------------------------------
    async def _deliver(self, row: OutboxMessage, *, silent: bool) -> None:
        assert row.id is not None
        try:
            await self.outcomes.deliver(row, silent=silent and row.urgent)
        except Exception:  # a database error: the lease brings the row back later
            logger.exception("outbox row %s: could not record the outcome", row.id)
        finally:
            self._chat_ready[row.chat_id] = (
                monotonic_time.monotonic() + self.config.per_chat_interval
            )
            self._busy_chats.discard(row.chat_id)
            self._in_flight.pop(row.id, None)
            self._slots.release()
