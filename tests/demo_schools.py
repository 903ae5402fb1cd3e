"""The demo school for tests: one generator, and per-module fixtures of a generated school.

A pytest plugin (listed in tests/conftest.py), so every test folder gets `school_url` and
`school` by name, with no imports of fixtures.
"""

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot import migrate
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.demo.build import DemoSummary, generate

TODAY = dt.date(2026, 11, 24)  # a Tuesday in the first semester


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def build_school_file(
    path: Path,
    *,
    today: dt.date = TODAY,
    seed: int = 2020,
    scale: int = 1,
    now: dt.datetime | None = None,
) -> tuple[str, DemoSummary]:
    """Generate a demo school into a new SQLite file; return its URL and the summary."""
    url = sqlite_url(path)
    migrate.upgrade(url)

    async def _fill() -> DemoSummary:
        engine = create_engine(url)
        try:
            return await generate(
                make_sessionmaker(engine), today=today, seed=seed, scale=scale, now=now
            )
        finally:
            await engine.dispose()

    return url, asyncio.run(_fill())


@pytest.fixture(scope="module")
def school_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo school of TODAY, generated once for the test module."""
    url, _summary = build_school_file(tmp_path_factory.mktemp("demo") / "school.db")
    yield url


@pytest.fixture
async def school(school_url: str) -> AsyncIterator[SessionMaker]:
    engine = create_engine(school_url)
    yield make_sessionmaker(engine)
    await engine.dispose()
