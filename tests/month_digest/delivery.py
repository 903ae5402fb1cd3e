"""Send what the digest tests queue through the real outbox sender to the recording fake."""

from telegram import Bot

from bot.db import SessionMaker
from jobs.outbox_sender import OutboxSender
from jobs.sender_config import SenderConfig

FAST = SenderConfig(
    rate_per_second=2000.0,
    per_chat_interval=0.0,
    backoff_seconds=0.01,
    progress_interval=0.0,
    idle_poll=0.01,
    quiet_start=SenderConfig.quiet_end,  # no quiet hours: the tests run at any time of day
)


async def deliver(bot: Bot, sessionmaker: SessionMaker) -> None:
    """Send every due outbox row, as the running bot's sender would."""
    await OutboxSender(bot, sessionmaker, FAST).drain()
