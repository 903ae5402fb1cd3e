"""Migrations bring an empty database to head with no drift from the models."""

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot import migrate
from bot.db import create_engine
from models.tables import metadata


def _drift(url: str) -> list[object]:
    async def _compare() -> list[object]:
        engine = create_engine(url)

        def _diff(connection: Connection) -> list[object]:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))

        async with engine.connect() as connection:
            diff = await connection.run_sync(_diff)
        await engine.dispose()
        return diff

    return asyncio.run(_compare())


def test_empty_sqlite_upgrades_to_head_without_drift(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    migrate.upgrade(url)
    assert _drift(url) == []


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set; the PostgreSQL pass covers this")
    name = f"schoolbot_mig_{uuid.uuid4().hex[:8]}"
    server = base.rsplit("/", 1)[0]

    async def _admin(statement: str) -> None:
        engine = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(statement))
        await engine.dispose()

    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    yield f"{server}/{name}"
    asyncio.run(_admin(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.mark.db
def test_empty_postgres_upgrades_to_head_without_drift(empty_postgres_url: str) -> None:
    migrate.upgrade(empty_postgres_url)
    assert _drift(empty_postgres_url) == []
