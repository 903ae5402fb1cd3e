"""Send a month's digests through the emulator at Telegram's limits while a student asks /today.

    .venv/bin/python -m benchmarks.digests [--scale 40] [--database PATH] [--asks 300]

Builds (or reuses) the demo school at the given scale in a SQLite file, copies it to a scratch
file (so every run claims a fresh month), and in one process: times a student's /today with the
bot idle; then runs the digest job for the previous month with the outbox sender sending to the
emulator (in its own thread, enforcing 30 messages a second and one a second per chat) while
the same student keeps asking /today and a probe measures how late the event loop wakes up.
Prints the figures' seconds and queries, the time to the first tutor's message, the delivery
rate, /today's p99 idle and during the run, the longest loop block and the bytes stored.
"""

import argparse
import asyncio
import datetime as dt
import logging
import os
import shutil
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import event, func, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from telegram import Bot, Update
from telegram.request import HTTPXRequest

from benchmarks.queries import pick_people
from bot import migrate
from bot.app import SchoolApplication, build_application
from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.demo.build import generate
from bot.sandbox import Sandbox, start_sandbox
from bot.sandbox.state import SandboxUser
from jobs.digest_job import queue_digests
from jobs.outbox_sender import OutboxSender
from jobs.sender_config import SenderConfig
from models.accounts import TelegramAccount
from models.attendance_queries import Month
from models.outbox import FINAL, OutboxMessage
from models.school import StudyGroup
from tests.fake_telegram import RecordingRequest, text_update

TELEGRAM_RATE = 30
NO_QUIET_HOURS = dt.time(0, 0)


class EmulatorThread:
    """The emulator on its own event loop in a thread, as Telegram is outside the bot."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sandbox: Sandbox = asyncio.run_coroutine_threadsafe(
            start_sandbox("127.0.0.1", 0), self.loop
        ).result()
        faults = self.sandbox.emulator.faults
        faults.rate_limits, faults.messages_per_second = True, TELEGRAM_RATE
        faults.per_chat_interval = 1.0

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.sandbox.stop(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


@dataclass
class LoopProbe:
    """Sleep 1 ms again and again; the longest oversleep is the longest the loop was blocked."""

    worst: float = 0.0
    worst_at: float = 0.0  # perf_counter when it began
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            late = time.perf_counter() - before - 0.001
            if late > self.worst:
                self.worst, self.worst_at = late, before


class Count429(logging.Handler):
    """Count the sender's 429 pauses (and keep its warnings off the screen)."""

    def __init__(self, run: "Run") -> None:
        super().__init__()
        self.run = run

    def emit(self, record: logging.LogRecord) -> None:
        if "429" in record.getMessage():
            self.run.too_many += 1


@dataclass
class Run:
    """What the run saw, in seconds from the digest job's start."""

    queries: int = 0
    figures: float = 0.0
    first_message: float = 0.0
    first_delivery: float = 0.0
    last_delivery: float = 0.0
    delivered: int = 0
    too_many: int = 0  # 429 answers
    worst_block: float = 0.0
    worst_block_at: float = 0.0
    today: list[float] = field(default_factory=list)


async def ask_today(
    application: SchoolApplication,
    make: Callable[[], Update],
    samples: list[float],
    count: int | None = None,
) -> None:
    """Ask /today every 50 ms (count times, or until cancelled), recording each answer's time."""
    while count is None or len(samples) < count:
        update = make()
        started = time.perf_counter()
        await application.process_update(update)
        samples.append(time.perf_counter() - started)
        await asyncio.sleep(0.05)


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98] * 1000


async def used_bytes(sessionmaker: SessionMaker) -> int:
    """The bytes the database's pages hold (its size less its free pages)."""
    async with sessionmaker() as session:
        pages = await session.scalar(text("PRAGMA page_count"))
        free = await session.scalar(text("PRAGMA freelist_count"))
        size = await session.scalar(text("PRAGMA page_size"))
    return (int(pages or 0) - int(free or 0)) * int(size or 0)


async def watch_deliveries(
    emulator: EmulatorThread, tutors: list[int], run: Run, t0: float
) -> None:
    """Note when the first tutor's message arrives, then the first and last of all deliveries."""
    state = emulator.sandbox.emulator.state
    seen = 0
    while True:
        await asyncio.sleep(0.02)
        now = time.perf_counter() - t0
        if not run.first_message and any(state.delivered[chat] for chat in tutors):
            run.first_message = now
        total = sum(state.delivered.values())
        if total and not seen:
            run.first_delivery = now
        if total != seen:
            seen, run.last_delivery, run.delivered = total, now, total


async def scalars(sessionmaker: SessionMaker, query: Any) -> list[Any]:
    async with sessionmaker() as session:
        return list(await session.scalars(query))


async def send_month(
    application: SchoolApplication, engine: AsyncEngine, emulator: EmulatorThread,
    make: Callable[[], Update], month: Month, rate: float,
) -> Run:  # fmt: skip  # the parameters read as what the run needs
    """Run the digest job and the sender while /today is asked and the loop is probed.

    The job has an engine of its own (the same file), so only its queries are counted.
    """
    run, probe = Run(), LoopProbe()
    sessionmaker = application.bot_data.sessionmaker
    staff = col(TelegramAccount.staff_id).is_not(None)
    chats = await scalars(sessionmaker, select(TelegramAccount.telegram_id).where(staff))
    for chat in chats:
        emulator.sandbox.emulator.register_user(SandboxUser(chat, f"Staff {chat}"))
    t0 = time.perf_counter()

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not run.figures:
            run.queries += 1
            if statement.startswith("INSERT INTO digest_figures"):
                run.figures, run.queries = time.perf_counter() - t0, run.queries - 1

    config = SenderConfig(
        rate_per_second=rate,
        per_chat_interval=1.0,
        quiet_start=NO_QUIET_HOURS,
        quiet_end=NO_QUIET_HOURS,
    )
    base = emulator.sandbox
    async with Bot(
        base.token,
        base_url=base.api_base_url,
        base_file_url=base.file_base_url,
        request=HTTPXRequest(connection_pool_size=16),
    ) as bot:
        sender = OutboxSender(bot, sessionmaker, config)
        counter = Count429(run)
        logging.getLogger("jobs.outbox_sender").addHandler(counter)
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        probe.task = asyncio.create_task(probe._run())
        tasks = [
            asyncio.create_task(sender.run_forever()),
            asyncio.create_task(ask_today(application, make, run.today)),
            asyncio.create_task(watch_deliveries(emulator, chats, run, t0)),
        ]
        t0 = time.perf_counter()
        await queue_digests(make_sessionmaker(engine), application.bot_data.settings, month)
        while True:  # the sender's rows are in the database; nothing to wait on but them
            waiting = col(OutboxMessage.status).not_in(FINAL)
            if not await scalars(sessionmaker, select(OutboxMessage.id).where(waiting).limit(1)):
                break
            await asyncio.sleep(1.0)
        await asyncio.sleep(0.1)  # the watcher's last look
        sender.stop()
        for task in [*tasks, probe.task]:
            task.cancel()
        await asyncio.gather(*tasks, probe.task, return_exceptions=True)
        event.remove(engine.sync_engine, "before_cursor_execute", count)
        logging.getLogger("jobs.outbox_sender").removeHandler(counter)
    run.figures = run.figures or time.perf_counter() - t0
    run.worst_block, run.worst_block_at = probe.worst, probe.worst_at - t0
    return run


async def prepare(scale: int, base: Path) -> None:
    url = f"sqlite+aiosqlite:///{base}"
    await asyncio.to_thread(migrate.upgrade, url)
    engine = create_engine(url)
    async with make_sessionmaker(engine)() as session:
        empty = not await session.scalar(select(func.count()).select_from(StudyGroup))
    if empty:
        await generate(make_sessionmaker(engine), seed=2020, today=dt.date.today(), scale=scale)
    await engine.dispose()


async def run(scale: int, base: Path, asks: int, rate: float) -> None:
    await prepare(scale, base)
    scratch = base.with_suffix(".run.db")
    shutil.copyfile(base, scratch)
    url = f"sqlite+aiosqlite:///{scratch}"
    engine = create_engine(url, checkpoint_in_background=True)  # as `schoolbot run` makes it
    sessionmaker = make_sessionmaker(engine)
    people = await pick_people(sessionmaker)
    settings = Settings(database_url=url, telegram_bot_token=SecretStr("1:BENCH"), _env_file=None)
    application = build_application(settings, sessionmaker=sessionmaker, request=RecordingRequest())
    make = partial(text_update, application.bot, "/today", people.student)
    month = Month.of(dt.date.today()).shift(-1)
    emulator = EmulatorThread()
    try:
        async with application:
            assert application.post_init is not None
            await application.post_init(application)  # as `schoolbot run` does on start
            idle: list[float] = []
            await ask_today(application, make, idle, asks)
            before = await used_bytes(sessionmaker)
            job_engine = create_engine(url)
            result = await send_month(application, job_engine, emulator, make, month, rate)
            await job_engine.dispose()
            stored = await used_bytes(sessionmaker) - before
    finally:
        emulator.stop()
        await engine.dispose()
        scratch.unlink(missing_ok=True)
    report(scale, month, result, idle, stored, rate)


def report(
    scale: int, month: Month, run: Run, idle: list[float], stored: int, sender_rate: float
) -> None:
    rate = (run.delivered - 1) / (run.last_delivery - run.first_delivery or 1)
    busy, calm = p99(run.today), p99(idle)
    lines = [
        f"scale {scale}, month {month}: {run.delivered} messages delivered",
        f"figures: {run.figures:.2f} s, {run.queries} SQL queries (claim to frozen)",
        f"first tutor's message: {run.first_message:.2f} s after the job started"
        f" = {run.first_message / run.figures:.2f}× the figures' time (goal ≤ 2×)",
        f"delivery rate: {rate:.2f} msg/s = {rate / TELEGRAM_RATE:.3f} × {TELEGRAM_RATE}/s"
        f" (goal ≥ 0.95×); sender set to {sender_rate:g}/s, {run.too_many} answers 429",
        f"/today p99: {busy:.1f} ms during the run ({len(run.today)} asks), {calm:.1f} ms idle"
        f" ({len(idle)} asks) = {busy / calm:.2f}× (goal ≤ 2×)",
        f"longest event-loop block: {run.worst_block * 1000:.1f} ms (goal ≤ 50 ms),"
        f" {run.worst_block_at:.1f} s after the job started",
        f"stored in the database for the month: {stored / 1e6:.2f} MB (goal ≤ 5 MB)",
    ]
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=int, default=40)
    parser.add_argument("--database", type=Path, default=None)
    parser.add_argument("--asks", type=int, default=300, help="idle /today asks to time")
    parser.add_argument("--rate", type=float, default=TELEGRAM_RATE, help="sender msg/s")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    database = args.database or Path(f"/tmp/schoolbot-digests-scale{args.scale}.db")
    asyncio.run(run(args.scale, database, args.asks, args.rate))


if __name__ == "__main__":
    main()
