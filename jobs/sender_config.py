"""How fast and how patiently the outbox sender works, and when the school's quiet hours are."""

from dataclasses import dataclass, replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.config import Settings

RIGA = ZoneInfo("Europe/Riga")


@dataclass(frozen=True)
class SenderConfig:
    """How fast and how patiently the sender works."""

    rate_per_second: float = 25.0
    per_chat_interval: float = 1.0
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 30)
    tz: ZoneInfo = RIGA
    max_attempts: int = 5
    backoff_seconds: float = 2.0  # doubled after each failed attempt
    lease_seconds: float = 300.0
    concurrency: int = 8
    progress_interval: float = 3.0
    idle_poll: float = 1.0

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> "SenderConfig":
        config = cls(
            rate_per_second=settings.outbox_rate_per_second,
            per_chat_interval=settings.outbox_per_chat_interval,
            quiet_start=settings.quiet_hours_start,
            quiet_end=settings.quiet_hours_end,
            tz=settings.tz,
        )
        return replace(config, **overrides)  # type: ignore[arg-type]  # dataclass fields


def in_quiet_hours(now: datetime, *, start: time, end: time, tz: ZoneInfo) -> bool:
    """Tell whether `now` falls in the quiet hours (which may run past midnight)."""
    local = now.astimezone(tz).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end
