"""What came of one outbox row's request: sent, blocked, failed, or due again later."""

import logging
from collections.abc import Callable
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.db import SessionMaker
from bot.documents.digest_render import RenderError, RowRenderer
from jobs.outbox_pace import Pace
from jobs.outbox_progress import Clock
from jobs.outbox_requests import retry_after_seconds, send_row
from jobs.sender_config import SenderConfig
from models import outbox
from models.outbox import OutboxMessage

logger = logging.getLogger(__name__)


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
    ) -> None:
        self.bot, self.sessionmaker, self.config = bot, sessionmaker, config
        self.token, self.clock, self.renderer, self.pace = token, clock, renderer, pace
        self.on_rate_limited = on_rate_limited  # told of every 429, for the metrics

    async def deliver(self, row: OutboxMessage, *, silent: bool) -> None:
        """Send one claimed row and record what came of it."""
        assert row.id is not None
        if row.digest_id is not None:
            try:
                await self.renderer.fill(row)
            except RenderError as exc:  # this row fails; the sender goes on with the rest
                await self.failed(row, str(exc))
                return
            await self.pace.space_send()
        try:
            message = await send_row(self.bot, row, silent=silent)
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            logger.warning("outbox: 429, pausing every send for %.0f s", wait)
            self.on_rate_limited()
            self.pace.pause(wait)
            await self.release(row, wait, error=str(exc), count_attempt=False)
        except Forbidden as exc:
            self.renderer.forget(row.id)
            async with self.sessionmaker.begin() as session:
                await outbox.mark_blocked(
                    session,
                    row_id=row.id,
                    token=self.token,
                    chat_id=row.chat_id,
                    error=str(exc),
                )
        except BadRequest as exc:  # will not get better by trying again
            await self.failed(row, str(exc))
        except TelegramError as exc:
            if not isinstance(exc, NetworkError):  # NetworkError: timeouts, 5xx, connections
                await self.failed(row, str(exc))
                return
            await self.retry_or_fail(row, str(exc))
        except Exception as exc:  # unknown outcome: treat like a network error
            logger.exception("outbox row %s: unexpected error while sending", row.id)
            await self.retry_or_fail(row, repr(exc))
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

    async def retry_or_fail(self, row: OutboxMessage, error: str) -> None:
        """Try a row again later, backing off, until it has used its attempts."""
        if row.attempts + 1 >= self.config.max_attempts:
            await self.failed(row, f"{error} (after {row.attempts + 1} attempts)")
        else:
            wait = self.config.backoff_seconds * 2**row.attempts
            await self.release(row, wait, error=error, count_attempt=True)

    async def release(
        self, row: OutboxMessage, wait: float, *, error: str, count_attempt: bool
    ) -> None:
        """Give the row back to the queue, due again after `wait` seconds."""
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

    async def failed(self, row: OutboxMessage, error: str) -> None:
        """Record that the row will not be sent, and why."""
        assert row.id is not None
        self.renderer.forget(row.id)
        logger.warning("outbox row %s to %s failed: %s", row.id, row.chat_id, error)
        async with self.sessionmaker.begin() as session:
            await outbox.mark_failed(session, row_id=row.id, token=self.token, error=error)
