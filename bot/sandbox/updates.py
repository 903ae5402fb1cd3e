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
        self._refusal: str | None = None

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Return the updates not yet confirmed by the bot."""
        return list(self._pending)

    @property
    def allowed(self) -> list[str] | None:
        """Return the update kinds the bot asked for, or None for Telegram's default set."""
        return sorted(self._allowed) if self._allowed is not None else None

    @property
    def version(self) -> int:
        """Return a number that grows with every change (see wait_for_change)."""
        return self._signal.version

    @property
    def closed(self) -> bool:
        return self._signal.closed

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

    def remove(self, update_id: int) -> None:
        """Forget one update the webhook confirmed (a chat's updates may finish out of turn)."""
        self._pending = [u for u in self._pending if u["update_id"] != update_id]
        self._signal.notify()

    def poke(self) -> None:
        """Wake whoever waits for a change without changing the queue."""
        self._signal.notify()

    async def wait_for_change(self, version: int, seconds: float) -> None:
        """Wait until the queue moves past `version` or `seconds` pass."""
        await self._signal.wait_until(lambda: self._signal.version != version, seconds)

    def close(self) -> None:
        """Answer every waiting getUpdates now; the server is going away."""
        self._signal.close()

    def drop_pending(self) -> None:
        """Forget every waiting update (drop_pending_updates of setWebhook and deleteWebhook)."""
        self._pending.clear()
        self._signal.notify()

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remember which update kinds the bot wants; an empty list means the default set."""
        if allowed is not None:
            self._allowed = frozenset(allowed) if allowed else None

    def refuse_polls(self, refusal: str | None) -> None:
        """Answer getUpdates with this 409 from now on (a webhook is set); None allows it again."""
        self._refusal = refusal
        self._signal.notify()  # a poll still waiting gets the refusal now

    async def get(
        self, *, offset: int, limit: int, wait: float, allowed: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """Answer getUpdates: confirm below offset, then wait up to `wait` s for news."""
        if self._refusal is not None:
            raise ApiError(409, self._refusal)
        self.set_allowed(allowed)
        self._poll += 1
        poll = self._poll
        self._signal.notify()  # a poll still waiting gets its 409
        self.confirm(offset)
        limit = min(max(limit, 1), 100)
        if not self._pending and wait > 0:
            await self._signal.wait_until(
                lambda: bool(self._pending) or self._poll != poll or self._refusal is not None,
                wait,
            )
        if self._refusal is not None:
            raise ApiError(409, self._refusal)
        if self._poll != poll:
            raise ApiError(409, CONFLICT)
        return self._pending[:limit]
