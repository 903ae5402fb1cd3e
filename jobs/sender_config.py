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
    # A claim's lease is short and renewed every few seconds while the sender lives, so the rows
    # of a sender that died are due again within `lease_seconds` (then marked in doubt).
    lease_seconds: float = 12.0
    renew_every: float = 3.0
    # Requests in flight at once: enough for 30 msg/s at Telegram's usual 0.1-0.2 s answers with
    # room for a slow one; it also bounds what a hard kill can leave in doubt.
    concurrency: int = 8
    # Seconds a send may take before it counts as timed out (PTB's default, 5 s, is shorter than
    # Telegram's slow answers: a 6 s answer would be sent again).
    send_timeout: float = 30.0
    # How long an outcome (sent, failed...) is retried while the database is away before the row
    # is left to its lease; and how long the loop waits at most between tries after a fault.
    record_patience: float = 300.0
    longest_fault_pause: float = 5.0
    # Seconds before a new sender's first send: one that follows another (a new leader, a
    # restart) waits out Telegram's one-second window the other may have filled, or it meets 429s.
    first_send_after: float = 0.0
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
