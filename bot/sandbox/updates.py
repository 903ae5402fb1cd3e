"""The bot's update queue: increasing update_ids, getUpdates' offset, limit, timeout, filters."""

from typing import Any

from bot.sandbox.errors import ApiError
from bot.sandbox.signal import Signal

# Telegram leaves these out unless a bot asks for them by name.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class UpdateQueue:
    """Updates waiting for the bot; a later getUpdates with a higher offset confirms them."""

    def __init__(self, signal: Signal) -> None:
        self._signal = signal
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._allowed: frozenset[str] | None = None
        self._poll = 0

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Return the updates not yet confirmed by the bot."""
        return list(self._pending)

    def put(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update; return its update_id, or None when the bot does not want this kind."""
        if self._allowed is not None and kind not in self._allowed:
            return None
        if self._allowed is None and kind in OPT_IN_UPDATES:
            return None
        update_id = self._next_id
        self._next_id += 1
        self._pending.append({"update_id": update_id, kind: payload})
        self._signal.notify()
        return update_id

    def confirm(self, offset: int) -> None:
        """Forget updates below offset; a negative offset keeps only the last -offset ones."""
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def close(self) -> None:
        """Answer every waiting getUpdates now; the server is going away."""
        self._signal.close()

    def drop_pending(self) -> None:
        """Forget every waiting update (deleteWebhook with drop_pending_updates)."""
        self._pending.clear()

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remember which update kinds the bot wants; an empty list means the default set."""
        if allowed is not None:
            self._allowed = frozenset(allowed) if allowed else None

    async def get(self, *, offset: int, limit: int, wait: float) -> list[dict[str, Any]]:
        """Answer getUpdates: confirm below offset, then wait up to `wait` s for news."""
        self._poll += 1
        poll = self._poll
        self._signal.notify()  # a poll still waiting gets its 409
        self.confirm(offset)
        limit = min(max(limit, 1), 100)
        if not self._pending and wait > 0:
            await self._signal.wait_until(lambda: bool(self._pending) or self._poll != poll, wait)
        if self._poll != poll:
            raise ApiError(409, CONFLICT)
        return self._pending[:limit]
