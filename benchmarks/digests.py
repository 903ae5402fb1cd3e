"""Build every group's monthly digest (figures, XLSX and chart) and count the SQL queries.

    .venv/bin/python -m benchmarks.digests [--scale 40] [--database PATH]

Reuses the demo school that benchmarks/queries.py builds at the same scale (or builds it),
measures the previous month, and prints the number of queries and the seconds taken.
"""

import argparse
import asyncio
import datetime as dt
import time
from pathlib import Path

from sqlalchemy import event, func
from sqlmodel import select

from bot import migrate
from bot.db import create_engine, make_sessionmaker
from bot.demo.build import generate
from bot.documents.digest_batch import make_digest_files
from models.attendance_queries import Month
from models.digest_queries import build_digests
from models.school import StudyGroup


async def run(scale: int, database: Path) -> None:
    url = f"sqlite+aiosqlite:///{database}"
    await asyncio.to_thread(migrate.upgrade, url)
    engine = create_engine(url)
    sessionmaker = make_sessionmaker(engine)
    async with sessionmaker() as session:
        if not await session.scalar(select(func.count()).select_from(StudyGroup)):
            await generate(sessionmaker, today=dt.date.today(), scale=scale)
    month = Month.of(dt.date.today()).shift(-1)
    queries = 0

    def count(*_args: object) -> None:
        nonlocal queries
        queries += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    started = time.perf_counter()
    async with sessionmaker() as session:
        digests = await build_digests(session, month=month, failing_below=4)
    figures = time.perf_counter() - started
    event.remove(engine.sync_engine, "before_cursor_execute", count)
    students = sum(len(d.students) for d in digests)
    started = time.perf_counter()
    await make_digest_files([(digest, "lv") for digest in digests], limit=8)  # as the job does
    files = time.perf_counter() - started
    await engine.dispose()
    print(f"scale {scale}: {len(digests)} groups, {students} students, month {month}")
    print(f"figures: {queries} SQL queries, {figures:.2f} s")
    print(f"messages, XLSX and charts: {files:.2f} s")
    print(f"all digests: {figures + files:.2f} s (goal: ≤ 10 s on SQLite at scale 40)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=int, default=40)
    parser.add_argument("--database", type=Path, default=None)
    args = parser.parse_args()
    database = args.database or Path(f"/tmp/schoolbot-bench-scale{args.scale}.db")
    asyncio.run(run(args.scale, database))


if __name__ == "__main__":
    main()
