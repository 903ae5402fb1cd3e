"""The health check: database, schema, the sender and its lag, last job runs, role and leader."""

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot import migrate
from bot.chat.context import BotData
from models.outbox_figures import count_by_status, oldest_due_since
from models.types import utcnow

DATABASE_TIMEOUT = 5.0  # seconds: a health check must answer even when the database hangs
LAG_LIMIT = 600.0  # seconds a due message may wait before the sender counts as stuck


_head = cache(migrate.head_revision)  # the migrations on disk do not change while running


@dataclass
class Health:
    """What the check found; healthy only when every part is."""

    checks: dict[str, Any] = field(default_factory=dict)
    healthy: bool = True

    def fail(self, name: str, reason: str) -> None:
        self.checks[name] = {"ok": False, "reason": reason}
        self.healthy = False


async def check_health(data: BotData, *, now: datetime | None = None) -> Health:
    """Look at every part the bot needs, and refresh the outbox gauge on the way."""
    now = now or utcnow()
    health = Health()
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT):
            await _database(data, health, now)
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        health.fail("database", (str(exc).splitlines() or ["timed out"])[0][:200])
    health.checks["role"] = data.role
    if data.role == "worker":
        health.checks["leader"] = "yes" if data.leading else "no"
    sender = data.sender_task
    if not data.leading:  # a web replica or a standby worker: the leading worker sends
        health.checks["sender"] = {"ok": True, "runs": "in the leading worker"}
    elif sender is None or sender.done():
        health.fail("sender", "the outbox sender is not running")
    elif "outbox_lag_seconds" in health.checks and health.checks["outbox_lag_seconds"] > LAG_LIMIT:
        health.fail("sender", f"messages have been due for over {LAG_LIMIT:.0f} s")
    else:
        health.checks["sender"] = {"ok": True}
    health.checks["jobs_last_run"] = {
        job: datetime.fromtimestamp(at).isoformat(timespec="seconds")
        for job, at in sorted(data.metrics.last_runs.items())
    }
    return health


async def _database(data: BotData, health: Health, now: datetime) -> None:
    async with data.sessionmaker() as session:
        await session.execute(text("SELECT 1"))
        counts = await count_by_status(session)
        oldest = await oldest_due_since(session, now=now)
        current = await migrate.session_revision(session)
    health.checks["database"] = {"ok": True}
    for status, count in counts.items():
        data.metrics.outbox.labels(status).set(count)
    health.checks["outbox"] = counts
    health.checks["outbox_lag_seconds"] = (now - oldest).total_seconds() if oldest else 0.0
    head = _head(data.settings.database_url)
    if current == head:
        health.checks["schema"] = {"ok": True, "revision": current}
    else:
        health.fail("schema", f"database at {current}, this version needs {head}")
