"""What came of one outbox row's request: sent, blocked, failed, or due again later.

An outcome is written under the sender's claim token, and a write the database refuses is tried
again (backing off) for up to `record_patience` seconds: a message Telegram accepted while the
database was away is recorded when it returns, not sent a second time.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.db import SessionMaker
from bot.documents.digest_render import RenderError, RowRenderer
from jobs.outbox_pace import Pace
from jobs.outbox_progress import Clock
from jobs.outbox_requests import may_have_arrived, retry_after_seconds, send_row
from jobs.sender_config import SenderConfig
from jobs.sender_faults import Backoff, describe, log_fault
from models import outbox
from models.outbox import OutboxMessage

logger = logging.getLogger(__name__)

Write = Callable[[AsyncSession], Awaitable[object]]


class Outcomes:
    """Sends a claimed row and writes its outcome under the sender's claim token."""

    def __init__(
        self,
        bot: Bot,
        sessionmaker: SessionMaker,
        config: SenderConfig,
        *,
        token: str,
        clock: Clock,
        renderer: RowRenderer,
        pace: Pace,
        on_rate_limited: Callable[[], None],
        patience: Callable[[], float],
    ) -> None:
        self.bot, self.sessionmaker, self.config = bot, sessionmaker, config
        self.token, self.clock, self.renderer, self.pace = token, clock, renderer, pace
        self.on_rate_limited = on_rate_limited  # told of every 429, for the metrics
        self.patience = patience  # seconds to keep retrying a write (short once stopping)

    async def deliver(self, row: OutboxMessage, *, silent: bool) -> None:
        """Send one claimed row and record what came of it."""
        assert row.id is not None
        row_id = row.id
        if row.digest_id is not None:
            try:
                await self.renderer.fill(row)
            except RenderError as exc:  # this row fails; the sender goes on with the rest
                await self.failed(row, str(exc))
                return
            except Exception as exc:  # the database, while reading the figures: nothing sent
                await self.release(row, self.config.backoff_seconds, error=describe(exc))
                return
            await self.pace.space_send()
        try:
            wait_up_to = self.config.send_timeout
            message = await send_row(self.bot, row, silent=silent, wait_up_to=wait_up_to)
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            logger.warning("outbox: 429, pausing every send for %.0f s", wait)
            self.on_rate_limited()
            self.pace.pause(wait)
            await self.release(row, wait, error=str(exc))
        except Forbidden as exc:
            self.renderer.forget(row.id)
            refusal = str(exc)
            await self.write(
                row.id,
                lambda session: outbox.mark_blocked(
                    session, row_id=row_id, token=self.token, chat_id=row.chat_id, error=refusal
                ),
            )
        except BadRequest as exc:  # will not get better by trying again
            await self.failed(row, str(exc))
        except TelegramError as exc:
            if not isinstance(exc, NetworkError):  # NetworkError: timeouts, 5xx, connections
                await self.failed(row, str(exc))
                return
            await self.retry_or_fail(row, str(exc) or describe(exc), in_doubt=may_have_arrived(exc))
        except Exception as exc:  # unknown outcome: treat like a lost answer
            logger.exception("outbox row %s: unexpected error while sending", row.id)
            await self.retry_or_fail(row, repr(exc), in_doubt=True)
        else:
            self.renderer.forget(row.id)
            sent_at = self.clock()
            await self.write(
                row.id,
                lambda session: outbox.mark_sent(
                    session,
                    row_id=row_id,
                    token=self.token,
                    message_id=message.message_id,
                    now=sent_at,
                ),
            )

    async def retry_or_fail(self, row: OutboxMessage, error: str, *, in_doubt: bool) -> None:
        """Try a row again later, backing off, until it has used its attempts.

        `in_doubt`: the request may have been delivered (no answer came back). It is sent again
        all the same, flagged in doubt: a possible duplicate rather than a possible loss.
        """
        if row.attempts + 1 >= self.config.max_attempts:
            await self.failed(row, f"{error} (after {row.attempts + 1} attempts)")
        else:
            wait = self.config.backoff_seconds * 2**row.attempts
            await self.release(row, wait, error=error, count_attempt=True, in_doubt=in_doubt)

    async def release(
        self,
        row: OutboxMessage,
        wait: float,
        *,
        error: str,
        count_attempt: bool = False,
        in_doubt: bool = False,
    ) -> None:
        """Give the row back to the queue, due again after `wait` seconds."""
        assert row.id is not None
        row_id, not_before = row.id, self.clock() + timedelta(seconds=wait)
        await self.write(
            row_id,
            lambda session: outbox.release(
                session,
                row_id=row_id,
                token=self.token,
                not_before=not_before,
                error=error,
                count_attempt=count_attempt,
                in_doubt=in_doubt,
            ),
        )

    async def failed(self, row: OutboxMessage, error: str) -> None:
        """Record that the row will not be sent, and why."""
        assert row.id is not None
        row_id = row.id
        self.renderer.forget(row_id)
        logger.warning("outbox row %s to %s failed: %s", row_id, row.chat_id, error)
        token = self.token

        async def mark(session: AsyncSession) -> bool:
            return await outbox.mark_failed(session, row_id=row_id, token=token, error=error)

        await self.write(row_id, mark)

    async def write(self, row_id: int, action: Write) -> None:
        """Run one outcome's write in its own transaction, retrying while the database is away."""
        backoff = Backoff(first=0.2, longest=self.config.longest_fault_pause)
        started = time.monotonic()
        while True:
            try:
                async with self.sessionmaker.begin() as session:
                    await action(session)
                return
            except Exception as exc:
                pause = backoff.next()
                if time.monotonic() + pause - started > self.patience():
                    raise
                log_fault(logger, f"outbox row {row_id}: outcome not recorded", exc, pause)
                await asyncio.sleep(pause)
