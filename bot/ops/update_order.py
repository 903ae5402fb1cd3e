"""Run many updates at once, each sender's one at a time and in the order they arrived."""

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB takes its own semaphore before handing an update over. Updates waiting for their
# sender's turn would hold its slots, and one person pressing a button forty times would
# freeze everyone: so PTB's count admits this many, and a semaphore of ours bounds those
# running.
ADMITTED = 100_000


def sender_key(update: object) -> int | None:
    """Whose turn an update waits for: its user, else its chat, else nobody's."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


@dataclass
class _Turns:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    holders: int = 0  # updates of this sender running or waiting


class SenderTurns:
    """One lock per sender with an update in hand; a sender's entry goes when nobody waits."""

    def __init__(self) -> None:
        self._turns: dict[int, _Turns] = {}

    def __len__(self) -> int:
        return len(self._turns)

    def waiting(self, key: int) -> int:
        """Return how many of this sender's updates are running or waiting."""
        turns = self._turns.get(key)
        return turns.holders if turns else 0

    @asynccontextmanager
    async def turn(self, key: int | None) -> AsyncIterator[None]:
        """Wait for the sender's earlier updates; asyncio.Lock serves its waiters first come,
        and the queue place is taken before the first await, so arrival order is kept."""
        if key is None:
            yield
            return
        turns = self._turns.get(key)
        if turns is None:
            turns = self._turns[key] = _Turns()
        turns.holders += 1
        try:
            async with turns.lock:
                yield
        finally:
            turns.holders -= 1
            if turns.holders == 0:
                del self._turns[key]


class OrderedUpdateProcessor(BaseUpdateProcessor):
    """Run up to `running` updates at once; a sender's updates run one after another."""

    def __init__(self, running: int) -> None:
        if running < 1:
            raise ValueError("at least one update must be able to run")
        super().__init__(ADMITTED)
        self.running = running
        self._slots = asyncio.Semaphore(running)
        self.turns = SenderTurns()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        async with self.turns.turn(sender_key(update)), self._slots:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to allocate: the locks come and go with the updates."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB awaits the updates still running."""
