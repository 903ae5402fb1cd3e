"""The real bot long-polling the sandbox emulator over HTTP, on the test database."""

from collections.abc import AsyncIterator

import pytest

from bot.cli.demo_run import RunningDemo, load_personas, start_demo
from bot.config import Settings
from bot.db import SessionMaker


@pytest.fixture
async def demo(settings: Settings, sessionmaker: SessionMaker) -> AsyncIterator[RunningDemo]:
    """The demo as `schoolbot demo` runs it, on a free port, with the database's personas."""
    running = await start_demo(settings, sessionmaker, personas=await load_personas(sessionmaker))
    yield running
    await running.stop()
