"""Wait until Telegram answers: one line a failed attempt, longer pauses, a wrong token ends it."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TimedOut

logger = logging.getLogger(__name__)

FIRST_PAUSE = 2.0  # seconds; doubled after each failure
LONGEST_PAUSE = 60.0


class TelegramRefused(Exception):
    """Telegram answered, and the answer means trying again cannot help (a wrong token)."""


async def reach_telegram(
    bot: Bot,
    *,
    attempts: int | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> str:
    """Ask Telegram who the bot is until it answers; return the bot's username.

    A network failure is logged as one line and tried again after a pause that grows to a
    minute (forever, unless `attempts` is given); a rejected token raises TelegramRefused.
    """
    pause, attempt = FIRST_PAUSE, 0
    while True:
        attempt += 1
        try:
            async with bot:
                me = await bot.get_me()
            return me.username or str(me.id)
        except InvalidToken:  # PTB's message quotes the token: it is not repeated here
            raise TelegramRefused(
                "Telegram refused the token: check TELEGRAM_BOT_TOKEN against what @BotFather gave"
            ) from None
        except (NetworkError, TimedOut) as exc:
            if attempts is not None and attempt >= attempts:
                raise
            logger.warning(
                "cannot reach Telegram at %s (%s); trying again in %.0f s",
                bot.base_url.removesuffix(bot.token),
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                pause,
            )
            await sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)
