"""Fixtures of the role tests: the PostgreSQL database they need, and the sandbox as Telegram."""

from collections.abc import AsyncIterator

import pytest

from bot.sandbox import Sandbox, start_sandbox


@pytest.fixture
def postgres_url(database_url: str) -> str:
    """The test database when it is PostgreSQL (leadership is PostgreSQL's advisory lock)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("roles on PostgreSQL: runs in the PostgreSQL pass (TEST_DATABASE_URL)")
    return database_url


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    sandbox = await start_sandbox("127.0.0.1", 0)
    yield sandbox
    await sandbox.stop()
