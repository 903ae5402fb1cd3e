"""Broadcast through `schoolbot worker` processes on PostgreSQL, the leader hard-killed K times.

Run: `.venv/bin/python -m benchmarks.broadcast --workers 2 --kills 3 [--recipients 10000]`
(`--postgres URL` names the server; a database of its own is made and dropped). The emulator
enforces Telegram's limits (30 messages a second, one a second per chat). Each kill is a
SIGKILL of the leading worker, spaced evenly through the send; a new worker replaces it, so N
stay running. Prints the rate against 30/s, the 429s, lost, duplicated and in-doubt rows, and
the longest time from a kill until messages flowed again.
"""

import asyncio
import logging
import os
import secrets
import signal
import socket
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url, text

from bot import migrate
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.sandbox import Sandbox, start_sandbox
from bot.sandbox.errors import ApiError
from bot.sandbox.state import SandboxUser
from models.outbox_figures import count_by_status

EMULATOR_LIMIT = 30
FIRST_CHAT = 800_000
SCHOOLBOT = str(Path(sys.executable).with_name("schoolbot"))


@dataclass(frozen=True)
class Timings:
    everyone: float  # seconds from the first delivery until every chat had one
    last: float  # ... until the last delivery (a row stranded by a kill may come late)
    longest_recovery: float
    flowing: int  # seconds in which at least one message was delivered


@dataclass(frozen=True)
class WorkersResult:
    workers: int
    kills: int
    recipients: int
    delivered: int
    duplicates: int
    losses: int
    too_many_requests: int
    timings: Timings
    statuses: dict[str, int]

    def render(self) -> str:
        took = self.timings.everyone
        rate = self.recipients / took if took else 0.0
        flowing = self.delivered / self.timings.flowing if self.timings.flowing else 0.0
        return (
            f"{self.workers} workers, {self.kills} kills: {self.delivered}/{self.recipients} "
            f"chats reached in {took:.1f} s = {rate:.2f} msg/s "
            f"({rate / EMULATOR_LIMIT:.2f} x {EMULATOR_LIMIT}/s); while messages flowed "
            f"{flowing:.2f} msg/s ({flowing / EMULATOR_LIMIT:.2f} x); last delivery after "
            f"{self.timings.last:.1f} s; 429s {self.too_many_requests}, lost {self.losses}, "
            f"duplicated {self.duplicates}, "
            f"in doubt {self.statuses.get('in_doubt', 'n/a (no such status)')}, "
            f"longest recovery {self.timings.longest_recovery:.1f} s; outbox {self.statuses}"
        )


class Workers:
    """The running worker processes: start, find the leader, kill it."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.running: list[tuple[asyncio.subprocess.Process, int]] = []

    async def start(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        with (self.folder / f"worker-{port}.log").open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                SCHOOLBOT,
                "worker",
                env={**self.env, "OPS_PORT": str(port)},
                cwd=self.folder,
                stdout=log,
                stderr=log,
            )
        self.running.append((process, port))

    async def kill_leader(self) -> bool:
        """SIGKILL the worker whose /healthz says it leads; False when none does yet."""
        for process, port in self.running:
            if await asyncio.to_thread(_leads, port):
                process.send_signal(signal.SIGKILL)
                await process.wait()
                self.running.remove((process, port))
                return True
        return False

    async def stop(self) -> None:
        for process, _port in self.running:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process, _port in self.running:
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()


def _leads(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as answer:
            return b'"leader": "yes"' in answer.read()
    except OSError as exc:  # a 503 is an HTTPError: read its body too
        body = getattr(exc, "read", lambda: b"")()
        return b'"leader": "yes"' in body


async def _database(server: str, action: str) -> str:
    base = make_url(server)
    name = f"{base.database}_broadcast_{os.getpid()}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if action == "create":
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _count_429s(sandbox: Sandbox) -> Callable[[], int]:
    """Count the emulator's 429 answers (the limits live in its Faults)."""
    faults = sandbox.emulator.faults
    original = faults.check_send
    seen = [0]

    def counting(chat_id: int, *, is_group: bool) -> None:
        try:
            original(chat_id, is_group=is_group)
        except ApiError as error:
            seen[0] += error.error_code == 429
            raise

    faults.check_send = counting  # type: ignore[method-assign]  # a benchmark's own counter
    return lambda: seen[0]


async def run_workers(
    *,
    postgres: str,
    recipients: int,
    workers: int,
    kills: int,
    rate: float,
    fill: Callable[[SessionMaker, int], Awaitable[None]],
) -> WorkersResult:
    """Send one announcement to `recipients` people through `workers` processes."""
    # A killed worker's request breaks off inside the emulator's server: expected, not news.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    url = await _database(postgres, "create")
    sandbox = await start_sandbox("127.0.0.1", 0)
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        engine = create_engine(url)
        sessionmaker = make_sessionmaker(engine)
        await fill(sessionmaker, recipients)
        faults = sandbox.emulator.faults
        faults.rate_limits, faults.messages_per_second = True, EMULATOR_LIMIT
        faults.per_chat_interval = 1.0
        chats = [FIRST_CHAT + index for index in range(recipients)]
        for chat in chats:
            sandbox.emulator.register_user(SandboxUser(chat, f"Person {chat}"))
        too_many = _count_429s(sandbox)
        with tempfile.TemporaryDirectory() as folder:
            running = Workers(_environment(url, sandbox, rate), Path(folder))
            try:
                for _ in range(workers):
                    await running.start()
                timings = await _watch(
                    sandbox, chats, running, kills, _no_row_unfinished(sessionmaker)
                )
            finally:
                await running.stop()
        async with sessionmaker() as session:
            statuses = await count_by_status(session)
        await engine.dispose()
    finally:
        await sandbox.stop()
        await _database(postgres, "drop")
    copies = [sandbox.emulator.delivered(chat) for chat in chats]
    return WorkersResult(
        workers=workers,
        kills=kills,
        recipients=recipients,
        delivered=sum(1 for n in copies if n >= 1),
        duplicates=sum(n - 1 for n in copies if n > 1),
        losses=sum(1 for n in copies if n == 0),
        too_many_requests=too_many(),
        timings=timings,
        statuses=dict(statuses),
    )


def _environment(url: str, sandbox: Sandbox, rate: float) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "TELEGRAM_BOT_TOKEN": sandbox.token,
        "TELEGRAM_API_URL": sandbox.api_base_url,
        "DATABASE_URL": url,
        "LINK_CODE_SECRET": secrets.token_urlsafe(32),
        "OUTBOX_RATE_PER_SECOND": str(rate),
        "QUIET_HOURS_START": "00:00",  # measure sending, whatever the hour
        "QUIET_HOURS_END": "00:00",
        "OPS_HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PTB_TIMEDELTA": "true",
    }


async def _watch(
    sandbox: Sandbox,
    chats: list[int],
    running: Workers,
    kills: int,
    settled: Callable[[], Awaitable[bool]],
    stall: float = 900.0,
) -> Timings:
    """Kill the leader at evenly spaced points until every row is finished.

    Returns the seconds from the first delivery until every chat had one and until the last,
    and the longest time from a kill until the next delivery (counted from a second after the
    kill, when the requests that were in flight have landed). Gives up after `stall` seconds
    without a delivery.
    """
    total = len(chats)
    marks = [total * (index + 1) // (kills + 1) for index in range(kills)]
    first = last = killed_at = everyone_at = 0.0
    longest = 0.0
    sent = baseline = 0
    flowing: set[int] = set()
    while True:
        now = time.monotonic()
        delivered = sum(sandbox.emulator.delivered(chat) for chat in chats)
        if delivered > sent:
            first, last, sent = first or now, now, delivered
            flowing.add(int(now - first))
            if not everyone_at and all(sandbox.emulator.delivered(chat) for chat in chats):
                everyone_at = now
        if killed_at and not baseline and now - killed_at > 1.0:
            baseline = delivered
        if baseline and delivered > baseline:
            longest, killed_at, baseline = max(longest, now - killed_at), 0.0, 0
        if (everyone_at and await settled()) or (last and now - last > stall):
            return Timings((everyone_at or last) - first, last - first, longest, len(flowing))
        if marks and sent >= marks[0] and not killed_at and await running.kill_leader():
            marks.pop(0)
            killed_at = time.monotonic()
            await running.start()  # N keep running
        await asyncio.sleep(0.2)


def _no_row_unfinished(sessionmaker: SessionMaker) -> Callable[[], Awaitable[bool]]:
    async def settled() -> bool:
        async with sessionmaker() as session:
            counts = await count_by_status(session)
        return not counts.get("pending") and not counts.get("sending")

    return settled
