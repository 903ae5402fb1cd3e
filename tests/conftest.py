"""Shared fixtures: a migrated database per test, on SQLite or on TEST_DATABASE_URL."""

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import migrate
from bot.app import SchoolApplication, build_application
from bot.chat.context import Context
from bot.cli.demo_run import DEMO_LINK_CODE_SECRET
from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from models.access import AccessDenied
from models.tables import metadata
from tests.chromium import chromium  # noqa: F401  # a fixture, shared with every test
from tests.fake_telegram import RecordingRequest

DB_FIXTURES = {"database_url", "engine", "sessionmaker"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so the PostgreSQL pass can select them."""
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrate one database per session: a SQLite file to copy, or a private PostgreSQL DB."""
    postgres_url = os.environ.get("TEST_DATABASE_URL")
    if postgres_url:
        private = _private_postgres(postgres_url, "create")
        migrate.upgrade(private)
        yield private
        _private_postgres(postgres_url, "drop")
        return
    template = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{template}")
    yield str(template)


def _private_postgres(url: str, action: str) -> str:
    """Create (or drop) a database of this test run's own beside TEST_DATABASE_URL's.

    Runs in parallel (two checkouts, CI beside a developer) then never share tables.
    """
    import asyncio

    server = make_url(url)
    private = server.set(database=f"{server.database}_run{os.getpid()}")

    async def _run() -> None:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(
                text(f'DROP DATABASE IF EXISTS "{private.database}" WITH (FORCE)')
            )
            if action == "create":
                await connection.execute(text(f'CREATE DATABASE "{private.database}"'))
        await engine.dispose()

    asyncio.run(_run())
    return private.render_as_string(hide_password=False)


@pytest.fixture
def database_url(_migrated_template: str, tmp_path: Path) -> str:
    """A migrated, empty database for this test."""
    if _migrated_template.startswith("postgresql"):
        return _migrated_template
    copy = tmp_path / "test.db"
    shutil.copyfile(_migrated_template, copy)
    return f"sqlite+aiosqlite:///{copy}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    if database_url.startswith("postgresql"):
        tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> SessionMaker:
    return make_sessionmaker(engine)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        telegram_bot_token=SecretStr("123456:TEST"),
        database_url=database_url,
        admin_telegram_ids=[],
        ops_port=0,
        # The demo's secret, so that codes the demo personas show (load_personas) link here too.
        link_code_secret=SecretStr(DEMO_LINK_CODE_SECRET),
        _env_file=None,
    )


@pytest.fixture
def telegram() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
async def app(
    settings: Settings, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> AsyncIterator[SchoolApplication]:
    """The real application over the recording fake; a handler crash fails the test."""
    application = build_application(
        settings, sessionmaker=sessionmaker, request=telegram, get_updates_request=telegram
    )
    crashes: list[BaseException] = []

    async def _collect(update: object, context: Context) -> None:
        if context.error is not None and not isinstance(context.error, AccessDenied):
            crashes.append(context.error)

    application.add_error_handler(_collect)
    async with application:
        yield application
    if crashes and not getattr(application, "expect_crash", False):
        raise crashes[0]
