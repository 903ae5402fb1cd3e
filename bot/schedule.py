"""The one table of scheduled work: each job, when it runs, and what it is given."""

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from bot.chat.context import Context, SchoolApplication
from jobs import ack_reminders, change_notices, digest_job, retention, wal_checkpoint
from jobs.outbox_sender import OutboxSender
from jobs.sender_config import SenderConfig
from jobs.sender_supervisor import run_supervised
from models.types import utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    """A job: its name, its first run after start, how often after that (None: once)."""

    name: str
    first: dt.timedelta
    every: dt.timedelta | None
    run: Callable[[Context], Awaitable[object]]


async def _start_sender(context: Context) -> None:
    """Start the supervised outbox sender as a task of the application; it stops with the bot."""
    application = context.application
    data = application.bot_data

    def new_sender() -> OutboxSender:
        return OutboxSender(
            application.bot,
            data.sessionmaker,
            SenderConfig.from_settings(data.settings),
            on_rate_limited=data.metrics.rate_limited.inc,
        )

    data.sender_task = application.create_task(
        run_supervised(new_sender, keep_running=lambda: application.running), name="outbox-sender"
    )


async def _change_notices(context: Context) -> None:
    data = context.bot_data
    await change_notices.queue_change_notices(data.sessionmaker, data.settings, utcnow())


async def _ack_reminders(context: Context) -> None:
    data = context.bot_data
    await ack_reminders.remind_due(data.sessionmaker, data.settings, utcnow())


async def _digests(context: Context) -> None:
    data = context.bot_data
    month = digest_job.due_month(utcnow(), data.settings)
    if month is not None:
        await digest_job.queue_digests(data.sessionmaker, data.settings, month)


async def _checkpoint(context: Context) -> None:
    await wal_checkpoint.checkpoint(context.bot_data.sessionmaker)


async def _retention(context: Context) -> None:
    data = context.bot_data
    await retention.prune(data.sessionmaker, data.settings.retention, utcnow())


async def _flush_view_log(context: Context) -> None:
    await context.bot_data.view_log.flush()


SECOND = dt.timedelta(seconds=1)
JOBS = (
    Scheduled("outbox-sender", first=0 * SECOND, every=None, run=_start_sender),
    Scheduled("change-notices", first=5 * SECOND, every=5 * 60 * SECOND, run=_change_notices),
    Scheduled("ack-reminders", first=30 * SECOND, every=10 * 60 * SECOND, run=_ack_reminders),
    Scheduled("digests", first=60 * SECOND, every=3600 * SECOND, run=_digests),
    Scheduled("wal-checkpoint", first=30 * SECOND, every=30 * SECOND, run=_checkpoint),
    Scheduled("view-log", first=SECOND, every=SECOND, run=_flush_view_log),
    Scheduled("retention", first=600 * SECOND, every=24 * 3600 * SECOND, run=_retention),
)

# APScheduler drops a run that starts over a second late, and the times count from when the
# application is built: a start-up longer than that (publishing the commands, loading a large
# school's timetable) would silently never start the outbox sender. Late runs run (once).
LATE_IS_FINE = {"misfire_grace_time": None, "coalesce": True}


def schedule_jobs(application: SchoolApplication) -> None:
    """Put every job of the table on the application's JobQueue."""
    job_queue = application.job_queue
    if job_queue is None:
        logger.warning("no JobQueue: no notices, digests or reminders; views are logged at stop")
        return
    for job in JOBS:
        callback = partial(_run, job)
        if job.every is None:
            job_queue.run_once(callback, when=job.first, name=job.name, job_kwargs=LATE_IS_FINE)
        else:
            job_queue.run_repeating(
                callback,
                interval=job.every,
                first=job.first,
                name=job.name,
                job_kwargs=LATE_IS_FINE,
            )


async def _run(job: Scheduled, context: Context) -> None:
    """Run one job and count it; a failure is logged and the job runs again next time."""
    try:
        await job.run(context)
    except Exception:
        context.bot_data.metrics.job_finished(job.name, ok=False)
        logger.exception("job %s failed", job.name)
        return
    context.bot_data.metrics.job_finished(job.name, ok=True)
