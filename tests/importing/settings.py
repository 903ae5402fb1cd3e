"""The settings and the clock the importer tests run with."""

from datetime import UTC, datetime

from bot.config import Settings

NOW = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)


def settings(*, max_bytes: int = 20 * 1024 * 1024, max_rows: int = 200_000) -> Settings:
    return Settings(import_max_bytes=max_bytes, import_max_rows=max_rows)
