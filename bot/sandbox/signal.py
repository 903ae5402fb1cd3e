"""A wake-up call for coroutines waiting on the emulator's state (long polls, tests, the page)."""

import asyncio
from collections.abc import Callable


class Signal:
    """Wake every waiter whenever something changed; waiters re-check their own condition."""

    def __init__(self) -> None:
        self.version = 0
        self._event = asyncio.Event()
        self.closed = False

    def notify(self) -> None:
        """Record a change and wake everyone waiting."""
        self.version += 1
        event, self._event = self._event, asyncio.Event()
        event.set()

    def close(self) -> None:
        """Wake everyone for good: the emulator is shutting down."""
        self.closed = True
        self.notify()

    async def wait_until(self, condition: Callable[[], bool], seconds: float) -> bool:
        """Wait until condition() holds (True) or `seconds` pass (False)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0 or self.closed:
                return False
            try:
                # asyncio.timeout, not wait_for: Python 3.11's wait_for swallows a cancellation
                # that arrives just as the event is set, and the waiter would never stop
                async with asyncio.timeout(remaining):
                    await self._event.wait()
            except TimeoutError:
                return condition()
        return True
