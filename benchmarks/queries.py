"""Time one update per question type through Application.process_update, beside an echo bot.

    .venv/bin/python -m benchmarks.queries [--scale 1] [--updates 300] [--database PATH]

Builds (or reuses) the demo school at the given scale in a SQLite file, picks a linked student,
a linked tutor and a linked teacher from it, then feeds each question to the real application
over the recording fake Bot API (no network), the question types taking turns, and prints p50
and p99 per question in milliseconds. A trivial echo handler behind the same registration step
is measured in the same run, as the floor; the bot's background writes (the audit log's views,
SQLite checkpoints) run meanwhile. The host's CPU steal during the run is printed too: on a
shared machine it explains a p99 far above the p50.
"""

import argparse
import asyncio
import datetime as dt
import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func
from sqlmodel import col, select
from telegram import Update, User
from telegram.ext import CommandHandler

from benchmarks.machine import cpu_times, steal_share
from bot import migrate
from bot.app import SchoolApplication, build_application
from bot.chat.context import Context
from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.demo.build import generate
from bot.schedule import JOBS
from jobs import wal_checkpoint
from models.accounts import TelegramAccount
from models.school import GroupTutor, Staff, Student, StudyGroup
from models.timetable import TimetableEntry
from tests.fake_telegram import RecordingRequest, make_user, text_update

P99_GOAL_MS = 15.0
ECHO_FACTOR_GOAL = 3.0


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
) -> dict[str, list[float]]:
    """Process `count` updates of each kind, taking turns, after a warm-up; return the seconds.

    Taking turns spreads whatever else the machine does evenly over every kind, the echo
    handler included, so the kinds compare fairly.
    """
    for make_update in makers.values():
        for _ in range(10):
            await application.process_update(make_update())
    samples: dict[str, list[float]] = {label: [] for label in makers}
    for _ in range(count):
        fake.calls.clear()  # what the bot sent is not kept: a real bot keeps nothing either
        for label, make_update in makers.items():
            update = make_update()
            start = time.perf_counter()
            await application.process_update(update)
            samples[label].append(time.perf_counter() - start)
    return samples


def p99_ms(samples: list[float]) -> tuple[float, float]:
    """Return the median and the 99th percentile in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, cuts[98] * 1000


async def echo(update: Update, _context: Context) -> None:
    """The floor: answer every text with itself."""
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def run(scale: int, count: int, database: Path) -> None:
    url = f"sqlite+aiosqlite:///{database}"
    await asyncio.to_thread(migrate.upgrade, url)  # creates the file, or checks it is current
    engine = create_engine(url, checkpoint_in_background=True)  # as `schoolbot run` makes it
    sessionmaker = make_sessionmaker(engine)
    async with sessionmaker() as session:
        empty = not await session.scalar(select(func.count()).select_from(StudyGroup))
    if empty:
        started = time.perf_counter()
        await generate(sessionmaker, seed=2020, today=dt.date.today(), scale=scale)
        print(f"built the demo school at scale {scale} in {time.perf_counter() - started:.1f} s")
    people = await pick_people(sessionmaker)
    settings = Settings(database_url=url, telegram_bot_token=SecretStr("1:BENCH"), _env_file=None)

    fake = RecordingRequest()
    application = build_application(
        settings, sessionmaker=sessionmaker, request=fake, get_updates_request=fake
    )
    # The floor: a trivial echo handler behind the same registration step every update takes.
    application.handlers[0].insert(0, CommandHandler("echo", echo))
    print(f"\nscale {scale}, {count} updates each, taking turns, SQLite ({database})")
    print(f"{'question':42} {'p50 ms':>8} {'p99 ms':>8} {'× echo':>7}")
    makers: dict[str, Callable[[], Update]] = {
        "echo handler (floor)": partial(text_update, application.bot, "/echo hi", people.student)
    }
    for label, user, text in questions(people):
        command = text.removeprefix("/").split()[0] if text.startswith("/") else "tomorrow"
        if command in application.bot_data.registered:
            makers[label] = partial(text_update, application.bot, text, user)
        else:
            print(f"{label:42} {'(no handler)':>8}")
    before = cpu_times()
    async with application:
        assert application.post_init is not None
        await application.post_init(application)  # as `schoolbot run` does on start
        # The background writes of a running bot, at their own pace; not its monthly digests
        # or bulk sends, which would measure those instead.
        background = asyncio.create_task(_background_writes(application, sessionmaker))
        try:
            samples = await time_updates(application, fake, makers, count)
        finally:
            background.cancel()
    stolen = steal_share(before, cpu_times())
    echo_p50, echo_p99 = p99_ms(samples.pop("echo handler (floor)"))
    print(f"{'echo handler (floor)':42} {echo_p50:8.2f} {echo_p99:8.2f}")
    worst = 0.0
    for label, timings in samples.items():
        p50, p99 = p99_ms(timings)
        worst = max(worst, p99)
        print(f"{label:42} {p50:8.2f} {p99:8.2f} {p99 / echo_p99:7.1f}")
    await engine.dispose()
    print(
        f"\nworst p99: {worst:.2f} ms (goal at scale 40: ≤ {P99_GOAL_MS} ms); "
        f"worst/echo: {worst / echo_p99:.1f}× (goal at scale 1: ≤ {ECHO_FACTOR_GOAL}×)"
    )
    print(f"CPU time taken by the host for other machines during the run (steal): {stolen:.0%}")


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
    parser.add_argument("--database", type=Path, default=None)
    args = parser.parse_args()
    database = args.database or Path(f"/tmp/schoolbot-bench-scale{args.scale}.db")
    asyncio.run(run(args.scale, args.updates, database))


if __name__ == "__main__":
    main()
