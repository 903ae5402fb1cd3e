"""Broadcast benchmark: 2,000 recipients through the emulator enforcing 30 messages/s.

Run: `.venv/bin/python -m benchmarks.broadcast [--recipients 2000] [--rate 25 --rate 30]`.
With `--workers N [--kills K] [--postgres URL]` the send goes through N `schoolbot worker`
processes on PostgreSQL instead, the leader hard-killed K times (benchmarks/broadcast_workers.py).
Each rate gets a fresh SQLite database and a fresh emulator with Telegram's limits switched on
(30 messages a second overall, one a second per chat). Prints the achieved rate, the 429s,
duplicates, losses and the elapsed time.
"""

import argparse
import asyncio
import datetime as dt
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot
from telegram.request import HTTPXRequest

from bot import migrate
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.sandbox import start_sandbox
from bot.sandbox.state import SandboxUser
from jobs.outbox_sender import OutboxSender
from jobs.sender_config import SenderConfig
from models.accounts import TelegramAccount
from models.announcements import create_announcement
from models.audiences import resolve_audience
from models.school import Student, StudyGroup

EMULATOR_LIMIT = 30
POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
FIRST_CHAT = 800_000
NO_QUIET_HOURS = dt.time(0, 0)


@dataclass(frozen=True)
class Result:
    rate: float
    recipients: int
    delivered: int
    duplicates: int
    losses: int
    too_many_requests: int
    elapsed: float

    @property
    def achieved(self) -> float:
        return self.delivered / self.elapsed if self.elapsed else 0.0

    def render(self) -> str:
        return (
            f"sender {self.rate:g}/s, emulator limit {EMULATOR_LIMIT}/s: "
            f"{self.delivered}/{self.recipients} delivered in {self.elapsed:.1f} s = "
            f"{self.achieved:.2f} msg/s ({100 * self.achieved / self.rate:.1f}% of the configured "
            f"rate, {100 * self.achieved / EMULATOR_LIMIT:.1f}% of the emulator limit); "
            f"429s {self.too_many_requests}, duplicates {self.duplicates}, losses {self.losses}"
        )


class _Count429(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "429" in record.getMessage():
            self.count += 1


async def _fill(sessionmaker: SessionMaker, recipients: int) -> None:
    async with sessionmaker.begin() as session:
        group = StudyGroup(code="BM-1", code_key="BM1")
        session.add(group)
        await session.flush()
        for index in range(recipients):
            number = f"B{index:05}"
            student = Student(
                student_number=number,
                first_name="Student",
                last_name=number,
                name_key=number.lower(),
                group_id=group.id or 0,
            )
            session.add(student)
            await session.flush()
            session.add(TelegramAccount(telegram_id=FIRST_CHAT + index, student_id=student.id))
        audience = await resolve_audience(session, "group:BM-1")
        await create_announcement(
            session, audience=audience, text="<b>Benchmark</b> announcement", actor="benchmark"
        )


async def run_once(rate: float, recipients: int) -> Result:
    """Send one announcement to `recipients` people at `rate` and measure it."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'broadcast.db'}"
        await asyncio.to_thread(migrate.upgrade, url)
        engine = create_engine(url)
        sessionmaker = make_sessionmaker(engine)
        await _fill(sessionmaker, recipients)
        sandbox = await start_sandbox("127.0.0.1", 0)
        faults = sandbox.emulator.faults
        faults.rate_limits = True
        faults.messages_per_second = EMULATOR_LIMIT
        faults.per_chat_interval = 1.0
        chats = [FIRST_CHAT + index for index in range(recipients)]
        for chat in chats:
            sandbox.emulator.register_user(SandboxUser(chat, f"Person {chat}"))
        counter = _Count429()
        logging.getLogger("jobs.outbox_sender").addHandler(counter)
        try:
            async with Bot(
                sandbox.token,
                base_url=sandbox.api_base_url,
                request=HTTPXRequest(connection_pool_size=16),
            ) as bot:
                config = SenderConfig(
                    rate_per_second=rate,
                    per_chat_interval=1.0,
                    quiet_start=NO_QUIET_HOURS,  # measure sending, whatever the hour
                    quiet_end=NO_QUIET_HOURS,
                )
                sender = OutboxSender(bot, sessionmaker, config)
                started = time.monotonic()
                await sender.drain()
                elapsed = time.monotonic() - started
        finally:
            logging.getLogger("jobs.outbox_sender").removeHandler(counter)
            await sandbox.stop()
            await engine.dispose()
        copies = [sandbox.emulator.delivered(chat) for chat in chats]
        return Result(
            rate=rate,
            recipients=recipients,
            delivered=sum(1 for n in copies if n >= 1),
            duplicates=sum(n - 1 for n in copies if n > 1),
            losses=sum(1 for n in copies if n == 0),
            too_many_requests=counter.count,
            elapsed=elapsed,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--rate", type=float, action="append", help="sender rate; repeatable")
    parser.add_argument("--workers", type=int, help="send through N `schoolbot worker`s")
    parser.add_argument("--kills", type=int, default=0, help="SIGKILL the leader K times")
    parser.add_argument("--postgres", default=POSTGRES, help="the server, for --workers")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    logging.basicConfig(level=logging.ERROR)
    if args.workers:
        from benchmarks.broadcast_workers import run_workers

        for rate in args.rate or [30.0]:
            result = run_workers(
                postgres=args.postgres,
                recipients=args.recipients,
                workers=args.workers,
                kills=args.kills,
                rate=rate,
                fill=_fill,
            )
            print(asyncio.run(result).render(), flush=True)
        return
    for rate in args.rate or [25.0, 30.0]:
        print(asyncio.run(run_once(rate, args.recipients)).render(), flush=True)


if __name__ == "__main__":
    main()
