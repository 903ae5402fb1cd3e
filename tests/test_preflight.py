"""`schoolbot run` refuses to start, saying exactly why, when it cannot work."""

from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from bot.config import Settings
from bot.db import create_engine
from bot.preflight import PreflightError, check_ready
from models.tables import metadata


def _settings(url: str, token: str | None = "1:abc") -> Settings:
    return Settings(
        telegram_bot_token=SecretStr(token) if token else None,
        database_url=url,
        link_code_secret=SecretStr("a-test-secret-of-enough-length"),
        _env_file=None,
    )


async def test_missing_token_is_named(tmp_path: Path) -> None:
    with pytest.raises(PreflightError, match="TELEGRAM_BOT_TOKEN is not set"):
        await check_ready(_settings(f"sqlite+aiosqlite:///{tmp_path}/x.db", token=None))


async def test_empty_database_asks_for_upgrade(tmp_path: Path) -> None:
    with pytest.raises(PreflightError, match="schoolbot db upgrade"):
        await check_ready(_settings(f"sqlite+aiosqlite:///{tmp_path}/x.db"))


async def test_unreachable_database_is_reported_without_password() -> None:
    with pytest.raises(PreflightError, match="Cannot reach the database") as error:
        await check_ready(_settings("postgresql+asyncpg://u:secret@127.0.0.1:1/x"))
    assert "secret" not in str(error.value)


async def test_migrated_database_passes(database_url: str) -> None:
    await check_ready(_settings(database_url))


async def test_a_database_at_head_that_lacks_a_table_is_refused_by_name(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP TABLE digest_run"))
    try:
        with pytest.raises(PreflightError, match="lacks table digest_run"):
            await check_ready(_settings(database_url))
    finally:  # on PostgreSQL the database is shared by the test run: put the table back
        async with engine.begin() as connection:
            await connection.run_sync(metadata.tables["digest_run"].create)
        await engine.dispose()
