"""Keep the outbox sender running: a failure is logged, waited out and the sender started again."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from jobs.outbox_sender import OutboxSender

logger = logging.getLogger(__name__)

FIRST_PAUSE = 1.0  # seconds; doubled after each failure in a row
LONGEST_PAUSE = 60.0


async def run_supervised(
    start: Callable[[], OutboxSender],
    *,
    keep_running: Callable[[], bool],
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    first_pause: float = FIRST_PAUSE,
) -> None:
    """Run senders made by `start` one after another until keep_running() is false.

    A database locked for longer than its timeout, or a connection that drops, ends one
    sender's loop with an exception; without this the bot would go on answering while nothing
    is delivered. A sender that ran well for a while before failing starts again at once.
    """
    loop = asyncio.get_running_loop()
    pause = first_pause
    while keep_running():
        started = loop.time()
        try:
            await start().run_forever(keep_running=keep_running)
            return  # stopped on purpose
        except Exception:
            if loop.time() - started > LONGEST_PAUSE:
                pause = first_pause
            logger.exception("the outbox sender failed; it starts again in %.0f s", pause)
        await sleep(pause)
        pause = min(pause * 2, LONGEST_PAUSE)
