"""Views of personal data go to the audit log in batches, so no answer waits for a write.

A view is logged the moment it is answered; a job writes what has gathered every second in
one transaction, and stopping the bot writes the rest. A write that fails (the database busy
with a long import, say) keeps its rows for the next try. Admin actions and refusals are
audited at once, in their own transactions, as before.
"""

import logging
from typing import Any

from sqlalchemy import insert

from bot.db import SessionMaker
from models.access import Viewer
from models.audit import AuditEntry
from models.types import utcnow

logger = logging.getLogger(__name__)

MAX_PENDING = 100_000  # about a day of views at a big school; beyond it the oldest go


class ViewLog:
    """Audit rows of views, waiting to be written."""

    def __init__(self, sessionmaker: SessionMaker) -> None:
        self._sessionmaker = sessionmaker
        self._pending: list[dict[str, Any]] = []

    def record(self, viewer: Viewer, action: str, target: str) -> None:
        """Log that the viewer saw someone's records (written within a second)."""
        self._pending.append(
            {
                "at": utcnow(),
                "telegram_id": viewer.telegram_id,
                "actor": viewer.actor,
                "action": action,
                "target": target[:200],
                "detail": "",
            }
        )
        if len(self._pending) > MAX_PENDING:
            logger.error("audit log writes keep failing: dropping the oldest view")
            del self._pending[0]

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def flush(self) -> int:
        """Write every waiting row in one transaction; return how many were written."""
        rows, self._pending = self._pending, []
        if not rows:
            return 0
        try:
            async with self._sessionmaker.begin() as session:
                await session.execute(insert(AuditEntry), rows)
        except Exception:
            self._pending[:0] = rows  # kept, in order, for the next try
            logger.exception("could not write %d audit rows; will retry", len(rows))
            return 0
        return len(rows)
