"""Feed many seeded hostile updates to the real application; print the errors and updates/s.

    .venv/bin/python -m benchmarks.fuzz [--updates 100000] [--seed 1] [--database-url URL]

The same fuzzer as tests/fuzz (texts with junk, commands with junk arguments, button data built
from the real patterns with mutated fields, edited, group and channel messages, inline queries,
documents, membership changes), over the recording fake Bot API, on a fresh migrated database:
a temporary SQLite file by default, or the PostgreSQL database named by --database-url (its
tables are emptied first). Prints the count of updates that reached the error handler and of
replies Telegram would refuse (the goal for both is 0), the first few of each, and updates/s.
"""

import argparse
import asyncio
import datetime as dt
import logging
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import text

from bot import migrate
from bot.app import build_application
from bot.config import Settings
from bot.db import create_engine, make_sessionmaker
from models.tables import metadata
from tests.fuzz.run import FileServingTelegram, FuzzResult, run_fuzz
from tests.fuzz.school import seed_school
from tests.fuzz.updates import UpdateFuzzer

SHOWN = 10  # how many of each kind of failure to print


async def _empty(url: str) -> None:
    """Migrate the database and empty every table, so the run starts from the fuzzer's school."""
    await asyncio.to_thread(migrate.upgrade, url)
    if url.startswith("postgresql"):
        engine = create_engine(url)
        tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await engine.dispose()


async def run(url: str, count: int, seed: int) -> FuzzResult:
    await _empty(url)
    settings = Settings(
        telegram_bot_token=SecretStr("123456:FUZZ"), database_url=url, _env_file=None
    )
    engine = create_engine(url)
    sessionmaker = make_sessionmaker(engine)
    telegram = FileServingTelegram()
    application = build_application(
        settings, sessionmaker=sessionmaker, request=telegram, get_updates_request=telegram
    )
    cast = await seed_school(sessionmaker, today=dt.datetime.now(settings.tz).date())
    async with application:
        fuzzer = UpdateFuzzer(seed, application.bot, cast, application.bot_data.registered)
        started = time.perf_counter()
        result = await run_fuzz(application, telegram, fuzzer, count)
        elapsed = time.perf_counter() - started
    await engine.dispose()
    print(f"database: {url.split('://')[0]}  updates: {result.updates}  seed: {seed}")
    print(f"errors (reached the error handler): {len(result.errors)}")
    for line in result.errors[:SHOWN]:
        print("  ", line)
    print(f"replies Telegram would refuse: {len(result.bad_replies)}")
    for line in result.bad_replies[:SHOWN]:
        print("  ", line)
    print(f"{result.updates / elapsed:.0f} updates/s ({elapsed:.1f} s)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the bot logs every refusal; we count them
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'fuzz.db'}"
        result = asyncio.run(run(url, args.updates, args.seed))
    raise SystemExit(1 if result.errors or result.bad_replies else 0)


if __name__ == "__main__":
    main()
