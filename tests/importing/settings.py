"""The import limits and the clock the importer tests run with."""

from datetime import UTC, datetime

from bot.config import Settings
from models.import_limits import ImportLimits

NOW = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)


def limits(
    *,
    max_bytes: int = 20 * 1024 * 1024,
    max_rows: int = 200_000,
    max_unpacked_bytes: int = 32 * 1024 * 1024,
) -> ImportLimits:
    settings = Settings(
        import_max_bytes=max_bytes,
        import_max_rows=max_rows,
        import_max_unpacked_bytes=max_unpacked_bytes,
    )
    return settings.import_limits
