"""Run imports in this (fresh) process and print their figures as one JSON line.

    .venv/bin/python -m benchmarks.import_run --database-url URL [--max-rows N] FILE...

The files are imported one after the other, as `schoolbot import` would, each in its own
call; the first call pays for what the importer loads on first use. Printed: the seconds of
each call, its report's counts, the seconds the bot's modules took to load before the first
call, and the process's peak resident memory (VmHWM). Used by benchmarks/imports.py.
"""

import argparse
import asyncio
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.machine import peak_rss_mb


async def _run(url: str, files: list[Path], max_rows: int) -> dict[str, Any]:
    started = time.perf_counter()
    # Loaded here, not at the top, so that their cost is measured (as a fresh process pays it).
    from bot.config import Settings
    from bot.db import create_engine, make_sessionmaker
    from models.importing import import_file

    loaded = time.perf_counter() - started
    settings = Settings(
        import_max_rows=max_rows,
        import_max_bytes=1 << 30,  # the benchmark's files may pass the default limits
        import_max_unpacked_bytes=1 << 31,
    )
    engine = create_engine(url)
    sessionmaker = make_sessionmaker(engine)
    calls = []
    try:
        for path in files:
            before = time.perf_counter()
            report = await import_file(
                sessionmaker, path, limits=settings.import_limits, now=datetime.now(UTC)
            )
            seconds = time.perf_counter() - before
            calls.append(
                {
                    "seconds": seconds,
                    "rows": report.rows,
                    "inserted": report.inserted,
                    "updated": report.updated,
                    "problems": len(report.problems),
                }
            )
    finally:
        await engine.dispose()
    return {"loaded": loaded, "calls": calls, "peak_mb": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--max-rows", type=int, default=200_000)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    figures = asyncio.run(_run(args.database_url, args.files, args.max_rows))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
