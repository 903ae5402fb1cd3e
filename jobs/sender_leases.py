"""The sender's heartbeat: its claims' leases renewed every few seconds, lost claims given back.

A claim holds a row for `lease_seconds` only. While the sender lives it renews the lease of the
rows it is sending (one UPDATE by its claim token), so only a sender that died, or lost its
database for longer than a lease, lets its rows be taken over, and then within seconds.
"""

import asyncio
import logging
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from bot.db import SessionMaker
from jobs.outbox_progress import Clock
from jobs.sender_config import SenderConfig
from jobs.sender_faults import log_fault
from models.outbox_claims import release_unsent, renew_leases

logger = logging.getLogger(__name__)


class Leases:
    """Keeps one sender's claims alive; a claim and a sweep never interleave (one lock)."""

    def __init__(
        self,
        sessionmaker: SessionMaker,
        config: SenderConfig,
        *,
        token: str,
        clock: Clock,
        sending: Callable[[], Collection[int]],
    ) -> None:
        self.sessionmaker, self.config, self.token, self.clock = sessionmaker, config, token, clock
        self.sending = sending  # the rows whose request this sender has started, not yet recorded
        self.lock = asyncio.Lock()
        # Sent, or perhaps sent, with the outcome never recorded: left to their lease, to be
        # taken over in doubt. Never given back as unsent.
        self.unrecorded: set[int] = set()

    def lease_until(self) -> datetime:
        """When a claim made or renewed now runs out."""
        return self.clock() + timedelta(seconds=self.config.lease_seconds)

    async def keep_alive(self) -> None:
        """Sweep every `renew_every` seconds until cancelled; a fault waits for the next sweep."""
        while True:
            await asyncio.sleep(self.config.renew_every)
            try:
                await self.sweep()
            except Exception as exc:  # the database is away: the next sweep tries again
                log_fault(logger, "outbox: leases not renewed", exc, self.config.renew_every)

    async def sweep(self) -> None:
        """Renew the leases of the rows being sent; give back claims whose answer was lost."""
        async with self.lock, self.sessionmaker.begin() as session:
            sending = set(self.sending())
            until = self.lease_until()
            await renew_leases(session, token=self.token, row_ids=sending, lease_until=until)
            keep = sending | self.unrecorded  # claims wait for the lock: none is half-made
            released = await release_unsent(session, token=self.token, keep=keep)
        if released:
            logger.info("outbox: %d claims whose answer was lost are due again", released)
