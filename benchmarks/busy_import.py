"""How another person is answered while an admin imports a big XLSX file through the bot.

    nice .venv/bin/python -m benchmarks.busy_import [--rows 100000]

Runs the real bot against the sandbox emulator on a fresh SQLite database. An admin sends a
workbook of buildings; meanwhile a visitor asks /today again and again, each time as soon as
the last answer came. It prints how long the import took, how many answers the visitor got
while it ran, and their median and longest wait. With every update in turn, the visitor's
first question waits for the whole import.
"""

import argparse
import asyncio
import io
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from bot import migrate
from bot.cli.demo_run import start_demo
from bot.config import Settings
from bot.db import create_engine, make_sessionmaker
from bot.sandbox import Persona
from bot.sandbox.emulator import BotApiEmulator

ADMIN = Persona("admin", "Admin", "admin", 6901, "Admin", "en")
VISITOR = Persona("visitor", "A visitor", "visitor", 6902, "Visitor", "en")


def workbook(rows: int) -> bytes:
    """A workbook of `rows` buildings, written as an office program would."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("buildings")
    sheet.append(["code", "name", "address"])
    for number in range(rows):
        sheet.append([f"B{number:06}", f"Building {number}", f"Street {number % 500}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def measure(rows: int, directory: Path) -> None:
    url = f"sqlite+aiosqlite:///{directory / 'busy.db'}"
    await asyncio.to_thread(migrate.upgrade, url)
    engine = create_engine(url, checkpoint_in_background=True)
    settings = Settings(database_url=url, admin_telegram_ids=[ADMIN.telegram_id], ops_port=0)
    demo = await start_demo(settings, make_sessionmaker(engine), personas=[ADMIN, VISITOR])
    emulator = demo.sandbox.emulator
    try:
        for persona in (ADMIN, VISITOR):
            await emulator.user_sends(persona.user, "/start")
            await emulator.wait_for_bot_message(persona.telegram_id)
        data = await asyncio.to_thread(workbook, rows)
        print(f"workbook: {rows:,} rows, {len(data) / 1e6:.2f} MB")
        started = time.perf_counter()
        await emulator.send_document(ADMIN.user, "buildings.xlsx", data)
        report = asyncio.create_task(_report(emulator))
        waits = await _ask_until(emulator, report)
        took = time.perf_counter() - started
        print(f"import through the bot: {took:.1f} s; report: {(await report)[:60]!r}")
        print(
            f"/today asked {len(waits)} times while it ran: first answered after "
            f"{waits[0] * 1000:.0f} ms, p50 {statistics.median(waits) * 1000:.0f} ms, "
            f"longest {max(waits) * 1000:.0f} ms"
        )
    finally:
        await demo.stop()
        await engine.dispose()


async def _report(emulator: BotApiEmulator) -> str:
    """Wait for the admin's report (any receipt before it is skipped)."""
    while True:
        message = await emulator.wait_for_bot_message(ADMIN.telegram_id, timeout=600)
        if message.text and "buildings.xlsx" in message.text and "Received" not in message.text:
            return message.text


async def _ask_until(emulator: BotApiEmulator, report: "asyncio.Task[str]") -> list[float]:
    """Ask /today until the report is in; return how long each answer took (the last one may
    have come after the report)."""
    waits: list[float] = []
    while not report.done():
        asked = time.perf_counter()
        await emulator.user_sends(VISITOR.user, "/today")
        await emulator.wait_for_bot_message(VISITOR.telegram_id, timeout=600)
        waits.append(time.perf_counter() - asked)
    return waits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(measure(arguments.rows, Path(directory)))


if __name__ == "__main__":
    main()
