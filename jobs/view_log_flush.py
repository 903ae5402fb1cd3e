"""Write the views gathered in the audit log buffer every second, and the rest on stop."""

import datetime as dt
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import SchoolApplication
    from bot.chat.context import Context

logger = logging.getLogger(__name__)

EVERY = dt.timedelta(seconds=1)


def schedule(application: "SchoolApplication") -> None:
    if application.job_queue is None:
        logger.warning("no JobQueue: views are written to the audit log only when the bot stops")
        return
    application.job_queue.run_repeating(_flush, interval=EVERY, first=EVERY, name="view-log")


async def _flush(context: "Context") -> None:
    await context.application.bot_data.view_log.flush()
