"""Progress of a bulk send: the author's message, edited as it goes, and the final report."""

import logging
import time as monotonic_time
from collections.abc import Callable
from datetime import datetime

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.db import SessionMaker
from bot.i18n import N_, gettext_for
from jobs.sender_config import SenderConfig
from models.announcements import (
    Announcement,
    DeliveryFigures,
    delivery_figures,
    finish_batch,
    list_unfinished_batches,
    set_progress_message,
)

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

PROGRESS = N_(
    "📣 Announcement #{id}: sending…\n"
    "Sent: {sent} of {total}\n"
    "Failed: {failed}\n"
    "Blocked the bot: {blocked}\n"
    "Time left: about {eta}"
)
REPORT = N_(
    "✅ Announcement #{id} is finished.\n"
    "Sent: {sent} of {total}\n"
    "Failed: {failed}\n"
    "Blocked the bot: {blocked}"
)
IN_DOUBT = N_("In doubt (may have arrived twice): {in_doubt}")


def format_eta(seconds: float) -> str:
    """Render a duration as m:ss (or h:mm:ss)."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def render_figures(template: str, batch: Announcement, figures: DeliveryFigures, eta: str) -> str:
    """Fill a progress or report template in the author's language."""
    _ = gettext_for(batch.author_language)
    text = _(template).format(
        id=batch.id,
        sent=figures.sent,
        total=figures.total,
        failed=figures.failed,
        blocked=figures.blocked,
        eta=eta,
    )
    if figures.in_doubt:  # only after a sender died mid-request, or a request timed out
        text += "\n" + _(IN_DOUBT).format(in_doubt=figures.in_doubt)
    return text


class ProgressReporter:
    """Keeps each author's progress message current and sends the final report once."""

    def __init__(
        self, bot: Bot, sessionmaker: SessionMaker, config: SenderConfig, *, clock: Clock
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.config = config
        self.clock = clock
        self._last_tick = 0.0
        self._shown: dict[int, DeliveryFigures] = {}

    async def tick(self, *, force: bool) -> None:
        """Update progress messages if the interval has passed (or force), report finished ones."""
        now = monotonic_time.monotonic()
        if not force and now - self._last_tick < self.config.progress_interval:
            return
        self._last_tick = now
        async with self.sessionmaker() as session:
            batches = await list_unfinished_batches(session)
            states = [
                (batch, await delivery_figures(session, batch_id=batch.id))
                for batch in batches
                if batch.id is not None
            ]
        for batch, figures in states:
            try:
                if figures.finished:
                    await self._finish(batch, figures)
                elif batch.author_chat_id is not None:
                    await self._show(batch, figures)
            except TelegramError as exc:  # the author's chat is not our delivery's business
                logger.warning("outbox: progress for batch %s not shown: %s", batch.id, exc)

    async def _show(self, batch: Announcement, figures: DeliveryFigures) -> None:
        assert batch.id is not None and batch.author_chat_id is not None
        if self._shown.get(batch.id) == figures:
            return
        eta = format_eta(figures.pending / self.config.rate_per_second)
        text = render_figures(PROGRESS, batch, figures, eta)
        if batch.progress_message_id is None:
            message = await self.bot.send_message(batch.author_chat_id, text)
            async with self.sessionmaker.begin() as session:
                ours = await set_progress_message(
                    session, batch_id=batch.id, message_id=message.message_id
                )
            if not ours:  # another sender showed progress first: keep only theirs
                await self.bot.delete_message(batch.author_chat_id, message.message_id)
        else:
            try:
                await self.bot.edit_message_text(
                    text, chat_id=batch.author_chat_id, message_id=batch.progress_message_id
                )
            except BadRequest as exc:
                if "not modified" not in str(exc):
                    raise
        self._shown[batch.id] = figures

    async def _finish(self, batch: Announcement, figures: DeliveryFigures) -> None:
        assert batch.id is not None
        async with self.sessionmaker.begin() as session:
            mine = await finish_batch(session, batch_id=batch.id, figures=figures, now=self.clock())
        if not mine or batch.author_chat_id is None:
            return  # another sender reports it, or nobody is waiting for a report
        text = render_figures(REPORT, batch, figures, "")
        if batch.progress_message_id is not None:  # the report replaces it: one message, not two
            try:
                await self.bot.delete_message(batch.author_chat_id, batch.progress_message_id)
            except BadRequest as exc:  # too old to delete: it becomes the report instead
                logger.info("outbox: progress message not deleted: %s", exc)
                try:
                    await self.bot.edit_message_text(
                        text, chat_id=batch.author_chat_id, message_id=batch.progress_message_id
                    )
                    return
                except BadRequest as refusal:
                    logger.info("outbox: last progress edit refused: %s", refusal)
        await self.bot.send_message(batch.author_chat_id, text)  # a new message notifies
