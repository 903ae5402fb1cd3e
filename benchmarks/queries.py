"""Time one update per question type through Application.process_update, beside an echo bot.

    .venv/bin/python -m benchmarks.queries [--scale 1] [--updates 300] [--live]
        [--database PATH | --database-url postgresql+asyncpg://...]

Builds (or reuses) the demo school at the given scale (a SQLite file, or the PostgreSQL
database named by --database-url, which must exist), picks a linked student, tutor and teacher
from it, then feeds each question to the real application over the recording fake Bot API (no
network), the question types taking turns, and prints p50 and p99 per question in milliseconds.
A trivial echo handler behind the same registration step is measured in the same run, as the
floor. Idle, only the views' audit writes and SQLite checkpoints run meanwhile.

With --live the questions are then timed again while the application runs with its job queue
and every job (benchmarks/live.py): the outbox sender, change notices, the audit log's views,
checkpoints, and the previous month's digest made midway. It prints live p50/p99 and the
slowest answer beside the idle figures, the longest event-loop block (a loop-lag probe), and
the process's RSS after start, steady (before the digest) and at its peak. The host's CPU
steal during the run is printed too: on a shared machine it explains a p99 far above the p50.
"""

import argparse
import asyncio
import datetime as dt
import itertools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from telegram import Update, User
from telegram.ext import CommandHandler

from benchmarks.figures import ECHO, Run, report
from benchmarks.live import LiveWork, forget_earlier_runs
from benchmarks.machine import (
    LoopProbe,
    cpu_times,
    peak_rss_mb,
    reset_peak_rss,
    rss_mb,
    steal_share,
)
from bot import migrate
from bot.app import SchoolApplication, build_application
from bot.chat.context import Context
from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.schedule import JOBS
from jobs import wal_checkpoint
from models.accounts import TelegramAccount
from models.school import GroupTutor, Staff, Student, StudyGroup
from models.timetable import TimetableEntry
from tests.fake_telegram import RecordingRequest, make_user, text_update


@dataclass(frozen=True)
class People:
    """Telegram accounts of a linked student, tutor and teacher, and a public group code."""

    student: User
    tutor: User
    teacher: User
    visitor: User
    group_code: str
    teacher_surname: str


async def pick_people(sessionmaker: SessionMaker) -> People:
    """Choose typical askers from the demo school (the first linked one of each kind)."""
    async with sessionmaker() as session:
        student_id, group_code = (
            await session.execute(
                select(TelegramAccount.telegram_id, StudyGroup.code)
                .join(Student, col(Student.id) == col(TelegramAccount.student_id))
                .join(StudyGroup, col(StudyGroup.id) == col(Student.group_id))
                .where(col(StudyGroup.bot_access))
                .order_by(col(TelegramAccount.id))
                .limit(1)
            )
        ).one()
        tutor_id = await session.scalar(
            select(TelegramAccount.telegram_id)
            .join(GroupTutor, col(GroupTutor.staff_id) == col(TelegramAccount.staff_id))
            .order_by(col(TelegramAccount.id))
            .limit(1)
        )
        teacher_id, surname = (
            await session.execute(
                select(TelegramAccount.telegram_id, Staff.last_name)
                .join(Staff, col(Staff.id) == col(TelegramAccount.staff_id))
                .join(TimetableEntry, col(TimetableEntry.teacher_id) == col(Staff.id))
                .order_by(col(TelegramAccount.id))
                .limit(1)
            )
        ).one()
    assert tutor_id is not None, "the demo school links its tutors"
    return People(
        student=make_user(student_id, first_name="Student"),
        tutor=make_user(tutor_id, first_name="Tutor"),
        teacher=make_user(teacher_id, first_name="Teacher"),
        visitor=make_user(42, first_name="Visitor"),
        group_code=group_code,
        teacher_surname=surname,
    )


def questions(people: People) -> list[tuple[str, User, str]]:
    """Return (label, asker, text) for every question type the issue names."""
    return [
        ("today (student)", people.student, "/today"),
        ("week (student)", people.student, "/week"),
        ("free text 'rīt' (student)", people.student, "rīt"),
        ("timetable of a group (visitor)", people.visitor, f"/timetable {people.group_code}"),
        (
            "consultations of a teacher (visitor)",
            people.visitor,
            f"/consult {people.teacher_surname}",
        ),
        ("practice (student)", people.student, "/practice"),
        ("absences (student)", people.student, "/absences"),
        ("marks (student)", people.student, "/marks"),
        ("absences (tutor)", people.tutor, "/absences"),
        ("marks (tutor)", people.tutor, "/marks"),
        ("today (teacher)", people.teacher, "/today"),
    ]


async def time_updates(
    application: SchoolApplication,
    fake: RecordingRequest,
    makers: dict[str, Callable[[], Update]],
    count: int,
    live: LiveWork | None = None,
) -> dict[str, list[float]]:
    """Process `count` updates of each kind, taking turns; return the seconds of each.

    Taking turns spreads whatever else the machine does evenly over every kind, the echo
    handler included, so the kinds compare fairly. Live, the turns go on until the live work
    is done, and its digest starts halfway through the `count` turns.
    """
    samples: dict[str, list[float]] = {label: [] for label in makers}
    for turn in itertools.count():
        if turn >= count and (live is None or live.done.is_set()):
            break
        if live is not None and turn == count // 2:
            live.midway.set()
        fake.calls.clear()  # what the bot sent is not kept: a real bot keeps nothing either
        for label, make_update in makers.items():
            update = make_update()
            start = time.perf_counter()
            await application.process_update(update)
            samples[label].append(time.perf_counter() - start)
    return samples


async def echo(update: Update, _context: Context) -> None:
    """The floor: answer every text with itself."""
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def _school(url: str, scale: int) -> tuple[AsyncEngine, SessionMaker]:
    """Open the benchmark's database, building the demo school in it when it is empty."""
    await asyncio.to_thread(migrate.upgrade, url)  # creates the schema, or checks it is current
    engine = create_engine(url, checkpoint_in_background=True)  # as `schoolbot run` makes it
    sessionmaker = make_sessionmaker(engine)
    async with sessionmaker() as session:
        empty = not await session.scalar(select(func.count()).select_from(StudyGroup))
    if empty:
        from bot.demo.build import generate  # only to build: the bot itself never loads it

        started = time.perf_counter()
        await generate(sessionmaker, seed=2020, today=dt.date.today(), scale=scale)
        print(f"built the demo school at scale {scale} in {time.perf_counter() - started:.1f} s")
    return engine, sessionmaker


async def run(scale: int, count: int, url: str, live: bool) -> None:
    engine, sessionmaker = await _school(url, scale)
    people = await pick_people(sessionmaker)
    if live:
        await forget_earlier_runs(sessionmaker)
    settings = Settings(database_url=url, telegram_bot_token=SecretStr("1:BENCH"), _env_file=None)
    fake = RecordingRequest()
    where = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    print(f"\nscale {scale}, {count} updates each, taking turns, {where} ({url})")
    probe = LoopProbe()
    before = cpu_times()
    result = await _idle(_bot(settings, sessionmaker, fake, people), sessionmaker, count, probe)
    if live:  # a second bot, started as `schoolbot run` starts one: its jobs are due from now
        await _live(_bot(settings, sessionmaker, fake, people), sessionmaker, count, probe, result)
    await probe.stop()
    result.rss_peak, result.rss_end = max(peak_rss_mb(), probe.rss_peak), rss_mb()
    stolen = steal_share(before, cpu_times())
    await engine.dispose()
    report(result)
    print(
        f"CPU time taken by the host for other machines during the run (steal): {stolen:.0%}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


Bot = tuple[SchoolApplication, RecordingRequest, dict[str, Callable[[], Update]]]


def _bot(
    settings: Settings, sessionmaker: SessionMaker, fake: RecordingRequest, people: People
) -> Bot:
    """Build the application with the echo handler, and an update maker for each question."""
    application = build_application(
        settings, sessionmaker=sessionmaker, request=fake, get_updates_request=fake
    )
    # The floor: a trivial echo handler behind the same registration step every update takes.
    application.handlers[0].insert(0, CommandHandler("echo", echo))
    makers: dict[str, Callable[[], Update]] = {
        ECHO: partial(text_update, application.bot, "/echo hi", people.student)
    }
    for label, user, text in questions(people):
        command = text.removeprefix("/").split()[0] if text.startswith("/") else "tomorrow"
        if command in application.bot_data.registered:
            makers[label] = partial(text_update, application.bot, text, user)
    return application, fake, makers


async def _warm_up(application: SchoolApplication, makers: dict[str, Callable[[], Update]]) -> None:
    """The first answers fill the caches: not what the benchmark measures."""
    for make_update in makers.values():
        for _ in range(10):
            await application.process_update(make_update())


async def _idle(bot: Bot, sessionmaker: SessionMaker, count: int, probe: LoopProbe) -> Run:
    """Start the bot (not its jobs) and time the questions beside its background writes."""
    application, fake, makers = bot
    async with application:
        assert application.post_init is not None
        await application.post_init(application)  # as `schoolbot run` does on start
        result = Run(idle={}, rss_start=rss_mb())
        await _warm_up(application, makers)
        reset_peak_rss()
        probe.start()
        background = asyncio.create_task(_background_writes(application, sessionmaker))
        try:
            result.idle = await time_updates(application, fake, makers, count)
        finally:
            background.cancel()
        result.block_idle, result.rss_steady = probe.take_longest(), rss_mb()
    return result


async def _live(
    bot: Bot, sessionmaker: SessionMaker, count: int, probe: LoopProbe, result: Run
) -> None:
    """Start the bot with its job queue and time the questions while the live work runs."""
    application, fake, makers = bot
    async with application:
        assert application.post_init is not None and application.post_stop is not None
        await application.post_init(application)
        await application.start()  # the job queue and every job, as in `schoolbot run`
        await _warm_up(application, makers)
        probe.take_longest()
        work = LiveWork(sessionmaker, application.bot_data.settings)
        driver = asyncio.create_task(work.run())
        result.live = await time_updates(application, fake, makers, count, work)
        await driver
        result.work, result.block_live = work, probe.take_longest()
        result.rss_steady = work.rss_before_digest
        await application.stop()
        await application.post_stop(application)


async def _background_writes(application: SchoolApplication, sessionmaker: SessionMaker) -> None:
    """Write the views' audit rows every second and checkpoint SQLite's log, as the jobs do."""
    every = {job.name: job.every for job in JOBS}
    flush, checkpoint = every["view-log"], every["wal-checkpoint"]
    assert flush is not None and checkpoint is not None
    for tick in itertools.count(1):
        await asyncio.sleep(flush.total_seconds())
        await application.bot_data.view_log.flush()
        if tick % int(checkpoint / flush) == 0:
            await wal_checkpoint.checkpoint(sessionmaker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--database", type=Path, default=None, help="the SQLite file")
    parser.add_argument("--database-url", default=None, help="e.g. postgresql+asyncpg://...")
    parser.add_argument("--live", action="store_true", help="time again with every job running")
    args = parser.parse_args()
    database = args.database or Path(f"/tmp/schoolbot-bench-scale{args.scale}.db")
    url = args.database_url or f"sqlite+aiosqlite:///{database}"
    asyncio.run(run(args.scale, args.updates, url, args.live))


if __name__ == "__main__":
    main()
