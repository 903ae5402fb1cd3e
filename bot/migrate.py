"""Schema migrations: upgrade to head, and tell whether a database is up to date and whole."""

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

import migrations
from models.tables import metadata


def alembic_config(database_url: str) -> Config:
    """Build the Alembic config in code, so no alembic.ini is needed."""
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply every migration up to the given revision."""
    command.upgrade(alembic_config(database_url), revision)


def head_revision(database_url: str) -> str | None:
    """Return the newest migration's id."""
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    """Return the revision the database is at, or None for an empty database."""

    def _read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(_read)


async def session_revision(session: AsyncSession) -> str | None:
    """Return the revision the session's database is at, on the session's own connection."""

    def _read(sync_session: Session) -> str | None:
        return MigrationContext.configure(sync_session.connection()).get_current_revision()

    return await session.run_sync(_read)


async def missing_schema(engine: AsyncEngine) -> list[str]:
    """Name the tables and columns this version needs that the database lacks.

    The revision id alone can lie: a database made by an earlier build of a migration says
    "at head" and still lacks what a later build added.
    """

    def _compare(connection: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))

    async with engine.connect() as connection:
        differences = await connection.run_sync(_compare)
    missing = []
    for difference in differences:
        if isinstance(difference, tuple) and difference[0] == "add_table":
            missing.append(f"table {difference[1].name}")
        elif isinstance(difference, tuple) and difference[0] == "add_column":
            missing.append(f"column {difference[2]}.{difference[3].name}")
    return missing
