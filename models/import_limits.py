"""The bounds an import works within, as plain values the edge builds from its settings."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class ImportLimits:
    """How big a file may be, raw and unpacked, how many rows it may have, and the school's zone."""

    max_bytes: int
    max_rows: int
    max_unpacked_bytes: int
    tz: ZoneInfo
