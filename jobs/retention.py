"""Once a day: prune what is kept no longer (outbox files and rows, audit rows), in batches."""

import logging
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionMaker
from models.retention import (
    RetentionPolicy,
    cutoffs,
    delete_audit_rows,
    delete_outbox_rows,
    drop_outbox_files,
)

logger = logging.getLogger(__name__)


class Pruner(Protocol):
    async def __call__(self, session: AsyncSession, *, before: datetime) -> int: ...


PRUNERS: dict[str, Pruner] = {
    "outbox files": drop_outbox_files,
    "outbox rows": delete_outbox_rows,
    "audit rows": delete_audit_rows,
}


async def prune(
    sessionmaker: SessionMaker, policy: RetentionPolicy, now: datetime
) -> dict[str, int]:
    """Prune every kind of row past its keeping time; return how many of each went."""
    removed: dict[str, int] = {}
    for kind, before in cutoffs(policy, now).items():
        removed[kind] = await _in_batches(sessionmaker, PRUNERS[kind], before)
    logger.info(
        "retention: emptied %d outbox files, deleted %d outbox rows and %d audit rows",
        removed["outbox files"],
        removed["outbox rows"],
        removed["audit rows"],
    )
    return removed


async def _in_batches(sessionmaker: SessionMaker, pruner: Pruner, before: datetime) -> int:
    """Run one pruner a batch a transaction until it finds nothing more."""
    total = 0
    while True:
        async with sessionmaker.begin() as session:
            count = await pruner(session, before=before)
        total += count
        if count == 0:
            return total
