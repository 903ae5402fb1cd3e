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
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypedDict

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.db import SessionMaker
from bot.documents.digest_render import RenderError, RowRenderer
from jobs.outbox_progress import Clock, ProgressReporter
from jobs.sender_config import SenderConfig, in_quiet_hours
from models import outbox
from models.outbox import Candidate, OutboxMessage
from models.types import utcnow

logger = logging.getLogger(__name__)


def retry_after_seconds(error: RetryAfter) -> float:
    """Read RetryAfter's wait whichever way PTB is configured to report it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class _SendOptions(TypedDict):
    """What every kind of outbox message is sent with."""

    parse_mode: str
    protect_content: bool
    disable_notification: bool
    reply_markup: InlineKeyboardMarkup | None


class OutboxSender:
    """One per process; `run_forever()` in the bot, `drain()` from the command line and tests."""

    def __init__(
        self,
        bot: Bot,
        sessionmaker: SessionMaker,
        config: SenderConfig,
        *,
        clock: Clock = utcnow,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.config = config
        self.clock = clock
        self.token = uuid.uuid4().hex
        self.progress = ProgressReporter(bot, sessionmaker, config, clock=clock)
        self.renderer = RowRenderer(sessionmaker)  # digests are made from frozen figures
        self._next_slot = 0.0  # monotonic time of the next send slot
        self._next_send = 0.0  # monotonic; sends are spaced too (rendering varies claim to send)
        self._paused_until = 0.0  # monotonic; set by 429
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
                await self._wait_for_slot()
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

    async def _wait_for_slot(self) -> None:
        """Pace to the overall rate, and wait out a 429 pause."""
        while True:
            now = monotonic_time.monotonic()
            start = max(self._next_slot, self._paused_until)
            if start <= now:
                self._next_slot = max(self._next_slot, now) + 1.0 / self.config.rate_per_second
                return
            await asyncio.sleep(start - now)

    async def _space_send(self) -> None:
        """Keep rendered rows' sends as evenly spaced as their claims (no 429 pause here)."""
        now = monotonic_time.monotonic()
        start = max(self._next_send, now)
        self._next_send = start + 1.0 / self.config.rate_per_second
        if start > now:
            await asyncio.sleep(start - now)

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
            due = await outbox.next_retry_at(session, urgent_only=self._quiet(now))
            if await outbox.list_candidates(
                session, now=now, urgent_only=self._quiet(now), limit=1
            ):
                return max(0.01, self._paused_until - monotonic_time.monotonic())
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
            await self._deliver_and_record(row, silent=silent and row.urgent)
        except Exception:  # a database error: the lease brings the row back later
            logger.exception("outbox row %s: could not record the outcome", row.id)
        finally:
            self._chat_ready[row.chat_id] = (
                monotonic_time.monotonic() + self.config.per_chat_interval
            )
            self._busy_chats.discard(row.chat_id)
            self._in_flight.pop(row.id, None)
            self._slots.release()

    async def _deliver_and_record(self, row: OutboxMessage, *, silent: bool) -> None:
        assert row.id is not None
        if row.digest_id is not None:
            try:
                await self.renderer.fill(row)
            except RenderError as exc:  # this row fails; the sender goes on with the rest
                await self._record_failure(row, str(exc))
                return
            await self._space_send()
        try:
            message = await self._send(row, silent=silent)
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            logger.warning("outbox: 429, pausing every send for %.0f s", wait)
            self._paused_until = max(self._paused_until, monotonic_time.monotonic() + wait)
            await self._record_release(row, wait, error=str(exc), count_attempt=False)
        except Forbidden as exc:
            self.renderer.forget(row.id)
            async with self.sessionmaker.begin() as session:
                await outbox.mark_blocked(
                    session, row_id=row.id, token=self.token, chat_id=row.chat_id, error=str(exc)
                )
        except BadRequest as exc:  # will not get better by trying again
            await self._record_failure(row, str(exc))
        except NetworkError as exc:  # timeouts, 5xx, connection trouble
            if row.attempts + 1 >= self.config.max_attempts:
                await self._record_failure(row, f"{exc} (after {row.attempts + 1} attempts)")
            else:
                wait = self.config.backoff_seconds * 2**row.attempts
                await self._record_release(row, wait, error=str(exc), count_attempt=True)
        except TelegramError as exc:
            await self._record_failure(row, str(exc))
        except Exception as exc:  # unknown outcome: treat like a network error
            logger.exception("outbox row %s: unexpected error while sending", row.id)
            if row.attempts + 1 >= self.config.max_attempts:
                await self._record_failure(row, f"{exc!r} (after {row.attempts + 1} attempts)")
            else:
                wait = self.config.backoff_seconds * 2**row.attempts
                await self._record_release(row, wait, error=repr(exc), count_attempt=True)
        else:
            self.renderer.forget(row.id)
            async with self.sessionmaker.begin() as session:
                await outbox.mark_sent(
                    session,
                    row_id=row.id,
                    token=self.token,
                    message_id=message.message_id,
                    now=self.clock(),
                )

    async def _record_release(
        self, row: OutboxMessage, wait: float, *, error: str, count_attempt: bool
    ) -> None:
        assert row.id is not None
        async with self.sessionmaker.begin() as session:
            await outbox.release(
                session,
                row_id=row.id,
                token=self.token,
                not_before=self.clock() + timedelta(seconds=wait),
                error=error,
                count_attempt=count_attempt,
            )

    async def _record_failure(self, row: OutboxMessage, error: str) -> None:
        assert row.id is not None
        self.renderer.forget(row.id)
        logger.warning("outbox row %s to %s failed: %s", row.id, row.chat_id, error)
        async with self.sessionmaker.begin() as session:
            await outbox.mark_failed(session, row_id=row.id, token=self.token, error=error)

    async def _send(self, row: OutboxMessage, *, silent: bool) -> Message:
        markup = None
        if row.button_data:
            button = InlineKeyboardButton(row.button_text, callback_data=row.button_data)
            markup = InlineKeyboardMarkup([[button]])
        common = _SendOptions(
            parse_mode="HTML",
            protect_content=row.protect,
            disable_notification=silent,
            reply_markup=markup,
        )
        caption = row.caption or row.text or None
        if row.media_file_id:  # a photo or file the author sent us, forwarded by its file_id
            if row.media_kind == "photo":
                return await self.bot.send_photo(
                    row.chat_id, row.media_file_id, caption=caption, **common
                )
            return await self.bot.send_document(
                row.chat_id, row.media_file_id, caption=caption, **common
            )
        if row.document is not None:
            upload = InputFile(row.document, filename=row.filename or "file")
            return await self.bot.send_document(row.chat_id, upload, caption=caption, **common)
        if row.photo is not None:
            upload = InputFile(row.photo, filename=row.filename or "photo.jpg")
            return await self.bot.send_photo(row.chat_id, upload, caption=caption, **common)
        return await self.bot.send_message(row.chat_id, row.text, **common)
