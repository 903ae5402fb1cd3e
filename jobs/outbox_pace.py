"""The outbox's pace: sends spaced to the overall rate, and every send held while a 429 lasts."""

import asyncio
import time


class Pace:
    """Slots at `rate_per_second`; a 429 pauses them all until Telegram's wait is over."""

    def __init__(self, rate_per_second: float, *, start_after: float = 0.0) -> None:
        self.interval = 1.0 / rate_per_second
        self._next_slot = time.monotonic() + start_after  # monotonic time of the next send slot
        self._next_send = 0.0  # monotonic; sends are spaced too (rendering varies claim to send)
        self._paused_until = 0.0  # monotonic; set by a 429

    async def slot(self) -> None:
        """Wait for the next slot at the overall rate, and out any 429 pause."""
        while True:
            now = time.monotonic()
            start = max(self._next_slot, self._paused_until)
            if start <= now:
                self._next_slot = max(self._next_slot, now) + self.interval
                return
            await asyncio.sleep(start - now)

    async def space_send(self) -> None:
        """Keep rendered rows' sends as evenly spaced as their claims (no 429 pause here)."""
        now = time.monotonic()
        start = max(self._next_send, now)
        self._next_send = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)

    def pause(self, seconds: float) -> None:
        """Hold every send for `seconds` (a 429's retry_after)."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    def paused_for(self) -> float:
        """Seconds the pause still lasts (0 when there is none)."""
        return max(0.0, self._paused_until - time.monotonic())
