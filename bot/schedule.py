"""The one table of scheduled work: each job, when it runs, and what it is given."""

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from bot.chat.context import Context, Role, SchoolApplication
from jobs import (
    ack_reminders,
    adult_consent,
    change_notices,
    digest_job,
    retention,
    wal_checkpoint,
)
from jobs.outbox_sender import OutboxSender
from jobs.sender_config import SenderConfig
from jobs.sender_supervisor import run_supervised
from models.types import utcnow

logger = logging.getLogger(__name__)


# Where a job runs: in the one leading process (run, or the leading worker), in every process
# (each keeps its own state to write), or only in a process on SQLite.
Runs = Literal["leader", "each", "sqlite"]


@dataclass(frozen=True)
class Scheduled:
    """A job: its name, its first run after start, how often after that (None: once), where."""

    name: str
    first: dt.timedelta
    every: dt.timedelta | None
    run: Callable[[Context], Awaitable[object]]
    runs: Runs = "leader"


async def _start_sender(context: Context) -> None:
    """Start the supervised outbox sender as a task of the application; it stops with the bot."""
    application = context.application
    data = application.bot_data

    def new_sender() -> OutboxSender:
        return OutboxSender(
            application.bot,
            data.sessionmaker,
            SenderConfig.from_settings(data.settings, first_send_after=1.0),
            on_rate_limited=data.metrics.rate_limited.inc,
        )

    data.sender_task = application.create_task(
        run_supervised(new_sender, keep_running=lambda: application.running and data.leading),
        name="outbox-sender",
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


async def _adult_consent(context: Context) -> None:
    data = context.bot_data
    await adult_consent.ask_new_adults(data.sessionmaker, data.settings, utcnow())


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
    Scheduled("wal-checkpoint", 30 * SECOND, every=30 * SECOND, run=_checkpoint, runs="sqlite"),
    Scheduled("view-log", first=SECOND, every=SECOND, run=_flush_view_log, runs="each"),
    Scheduled("adult-consent", first=120 * SECOND, every=3600 * SECOND, run=_adult_consent),
    Scheduled("retention", first=600 * SECOND, every=24 * 3600 * SECOND, run=_retention),
)

# APScheduler drops a run that starts over a second late, and the times count from when the
# application is built: a start-up longer than that (publishing the commands, loading a large
# school's timetable) would silently never start the outbox sender. Late runs run (once).
LATE_IS_FINE = {"misfire_grace_time": None, "coalesce": True}


def jobs_for(role: Role, *, database_url: str) -> tuple[Scheduled, ...]:
    """The jobs a process of this role schedules at start (a worker adds the leader's later).

    `run` is the only process: it leads from the start. `web` and `worker` are on PostgreSQL.
    """
    sqlite = database_url.startswith("sqlite")
    return tuple(
        job
        for job in JOBS
        if job.runs == "each"
        or (job.runs == "sqlite" and sqlite)
        or (job.runs == "leader" and role == "run")
    )


LEADER_JOBS = tuple(job for job in JOBS if job.runs == "leader")


def schedule_jobs(application: SchoolApplication, jobs: Sequence[Scheduled]) -> None:
    """Put these jobs on the application's JobQueue."""
    job_queue = application.job_queue
    if job_queue is None:
        logger.warning("no JobQueue: no notices, digests or reminders; views are logged at stop")
        return
    for job in jobs:
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


async def start_leading(application: SchoolApplication) -> None:
    """This worker was elected: run the outbox sender and the leader's jobs from now on."""
    application.bot_data.leading = True
    application.bot_data.metrics.leader.set(1)
    schedule_jobs(application, LEADER_JOBS)


async def stop_leading(application: SchoolApplication, *, grace: float = 10.0) -> None:
    """Take the leader's jobs off the queue; let the sender finish its requests, then stop it."""
    data = application.bot_data
    data.leading = False  # the sender's loop stops after the requests in flight
    data.metrics.leader.set(0)
    if application.job_queue is not None:
        for job in LEADER_JOBS:
            for scheduled in application.job_queue.get_jobs_by_name(job.name):
                scheduled.schedule_removal()
    sender, data.sender_task = data.sender_task, None
    if sender is not None and not sender.done():
        done, _ = await asyncio.wait({sender}, timeout=grace)
        if not done:
            logger.warning("the outbox sender did not stop within %.0f s; cancelled", grace)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
