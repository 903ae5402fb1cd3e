"""The outbox sender: claims due rows, paces them to Telegram's limits, records each outcome.

Delivery guarantee. A row is claimed (pending -> sending, with this sender's token and a short
lease its heartbeat renews) one at a time, right before its request, so `sending` means "the
request may be in flight". Stopping the sender (task cancelled, Ctrl-C, `stop()`) lets the
requests in flight finish and be recorded, so a stop and restart neither resends nor skips
anything. A database or network fault inside the loop is logged in one line, waited out and
tried again by the same sender, which keeps its claims and writes the outcomes it could not
write when the database returns. Only if the process dies hard (or loses its database for
longer than a lease while another sender runs) is the outcome of a request in flight unknown:
that row (at most `concurrency` rows) is taken over when its lease ends, marked in doubt, and
sent again. We chose a possible duplicate over a possible loss, because a lost "lesson
cancelled" notice costs more than a repeated one.

Timeouts. A send may take `send_timeout` (30 s) before it counts as timed out, far above a slow
answer (6 s), so a slow answer is waited for, not sent twice. A send that still gets no answer
may have been delivered: it is tried again after a backoff (a loss would be silent, a duplicate
is not) and flagged in doubt, so the author's report counts it. A request that never left this
machine (no connection) is retried without the flag.
"""

import asyncio
import logging
import time as monotonic_time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from telegram import Bot

from bot.db import SessionMaker
from bot.documents.digest_render import RowRenderer
from jobs.outbox_outcomes import Outcomes
from jobs.outbox_pace import Pace
from jobs.outbox_progress import Clock, ProgressReporter
from jobs.sender_config import SenderConfig, in_quiet_hours
from jobs.sender_faults import Backoff, describe, log_fault
from jobs.sender_leases import Leases
from models import outbox
from models.outbox import OutboxMessage
from models.outbox_claims import claim_next
from models.outbox_figures import next_retry_at
from models.types import utcnow

logger = logging.getLogger(__name__)

PATIENCE_WHEN_STOPPING = 5.0  # seconds an unrecorded outcome is retried once asked to stop


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
        self.pace = Pace(config.rate_per_second, start_after=config.first_send_after)
        self.outcomes = Outcomes(
            bot,
            sessionmaker,
            config,
            token=self.token,
            clock=clock,
            renderer=self.renderer,
            pace=self.pace,
            on_rate_limited=on_rate_limited,
            patience=lambda: PATIENCE_WHEN_STOPPING if self._stopping else config.record_patience,
        )
        # chat -> monotonic time it may get the next message, soonest first
        self._chat_ready: OrderedDict[int, float] = OrderedDict()
        self._in_flight: dict[int, asyncio.Task[None]] = {}  # row id -> its delivery
        self.leases = Leases(
            sessionmaker, config, token=self.token, clock=clock, sending=self._in_flight.keys
        )
        self._busy_chats: set[int] = set()
        self._claiming: set[asyncio.Future[bool]] = set()
        self._slots = asyncio.Semaphore(config.concurrency)
        self._stop_requested = False
        self._keep_running: Callable[[], bool] = lambda: True

    # The loops ----------------------------------------------------------------------------
    async def run_forever(self, *, keep_running: Callable[[], bool] = lambda: True) -> None:
        """Send whatever becomes due until cancelled, stopped, or keep_running() is false.

        A fault (the database away, the network down) pauses sending, never ends it.
        """
        self._keep_running = keep_running
        heartbeat = asyncio.create_task(self.leases.keep_alive(), name="outbox-leases")
        backoff = Backoff(first=self.config.idle_poll, longest=self.config.longest_fault_pause)
        try:
            while not self._stopping:
                try:
                    await self._pump()
                    await self.progress.tick(force=False)
                except Exception as exc:  # the database or the network: ride it out
                    pause = backoff.next()
                    log_fault(logger, "outbox: sending paused", exc, pause)
                    await asyncio.sleep(pause)
                    continue
                backoff.reset()
                if not self._stopping:
                    await asyncio.sleep(self.config.idle_poll)
        finally:
            await self._wind_down(heartbeat)

    async def drain(self) -> None:
        """Send everything due now (waiting out retries and 429s), then report and return.

        Non-urgent rows held by quiet hours stay pending.
        """
        heartbeat = asyncio.create_task(self.leases.keep_alive(), name="outbox-leases")
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
            await self._wind_down(heartbeat)
        await self.progress.tick(force=True)

    def stop(self) -> None:
        """Ask the loop to finish its requests in flight and return."""
        self._stop_requested = True

    @property
    def _stopping(self) -> bool:
        return self._stop_requested or not self._keep_running()

    async def _wind_down(self, heartbeat: asyncio.Task[None]) -> None:
        """Let the requests in flight finish and be recorded (leases renewed meanwhile)."""
        self._stop_requested = True
        try:
            await self._settle()
        finally:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)

    # One pass over the due rows -------------------------------------------------------------
    async def _pump(self) -> bool:
        """Claim and start sending the due rows; return whether any was started."""
        if not await self._anything_due():
            return False
        started = False
        while not self._stopping:
            quiet = self._quiet(self.clock())
            await self.pace.slot()
            await self._slots.acquire()
            claiming = asyncio.ensure_future(self._claim_and_start(silent=quiet))
            self._claiming.add(claiming)
            claiming.add_done_callback(self._claiming.discard)
            # Shielded: once claimed, a row is always sent and recorded, even on cancel.
            if await asyncio.shield(claiming):
                started = True
                await self.progress.tick(force=False)
                continue
            if not self._in_flight and not self._waiting_chats():
                break  # nothing left that this sender may claim now
            await self._wait_for_a_chat()
        return started

    async def _anything_due(self) -> bool:
        """Tell whether any row is due; mark rows to chats known to block the bot on the way."""
        now = self.clock()
        async with self.sessionmaker.begin() as session:
            quiet = self._quiet(now)
            if not await outbox.list_candidates(session, now=now, urgent_only=quiet, limit=1):
                return False
            await outbox.skip_blocked_accounts(session)
        return True

    def _waiting_chats(self) -> list[int]:
        """Chats that got a message less than `per_chat_interval` ago (forgetting older ones)."""
        now = monotonic_time.monotonic()
        while self._chat_ready and next(iter(self._chat_ready.values())) <= now:
            self._chat_ready.popitem(last=False)
        return list(self._chat_ready)

    async def _wait_for_a_chat(self) -> None:
        """Every due row waits for its chat: sleep until a request ends or a chat frees up."""
        ready_at = next(iter(self._chat_ready.values()), None)
        timeout = None if ready_at is None else max(0.01, ready_at - monotonic_time.monotonic())
        if self._in_flight:
            in_flight = list(self._in_flight.values())
            await asyncio.wait(in_flight, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        else:
            await asyncio.sleep(timeout or 0.01)

    async def _claim_and_start(self, *, silent: bool) -> bool:
        try:
            async with self.leases.lock:
                row = await self._claim(urgent_only=silent)
                if row is not None:
                    self._start(row, silent=silent)
        except BaseException:
            self._slots.release()
            raise
        if row is None:
            self._slots.release()
            return False
        return True

    async def _claim(self, *, urgent_only: bool) -> OutboxMessage | None:
        skip = self._busy_chats.union(self._waiting_chats())
        async with self.sessionmaker.begin() as session:
            row = await claim_next(
                session,
                token=self.token,
                now=self.clock(),
                lease_until=self.leases.lease_until(),
                urgent_only=urgent_only,
                skip_chats=skip,
            )
            if row is not None:
                session.expunge(row)
        return row

    def _start(self, row: OutboxMessage, *, silent: bool) -> None:
        assert row.id is not None
        self._busy_chats.add(row.chat_id)
        self.leases.unrecorded.discard(row.id)  # taken over again, in doubt, by this sender
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
        except Exception as exc:  # the database stayed away: the lease brings the row back
            self.leases.unrecorded.add(row.id)
            logger.error("outbox row %s: outcome not recorded (%s)", row.id, describe(exc))
            logger.debug("outbox row %s: the traceback", row.id, exc_info=exc)
        finally:
            self._chat_ready[row.chat_id] = (
                monotonic_time.monotonic() + self.config.per_chat_interval
            )
            self._chat_ready.move_to_end(row.chat_id)
            self._busy_chats.discard(row.chat_id)
            self._in_flight.pop(row.id, None)
            self._slots.release()
