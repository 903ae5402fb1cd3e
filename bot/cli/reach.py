"""Commands that talk to Telegram reach it first, or say in one line why they cannot."""

import typer
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.config import Settings
from bot.ops.telegram_reach import TelegramRefused, reach_telegram

TRIES = 5  # a one-off command gives up after about a minute (pauses 2, 4, 8, 16 s)


def token_or_exit(settings: Settings, command: str) -> str:
    """The bot token, or one line saying the command needs it."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        typer.secho(
            f"Cannot {command}: TELEGRAM_BOT_TOKEN is not set (put the token from @BotFather "
            "in .env or the environment).",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1)
    return settings.telegram_bot_token.get_secret_value()


async def reach_or_exit(bot: Bot, command: str, *, attempts: int | None = TRIES) -> str:
    """Wait (with growing pauses) until Telegram answers; return the bot's username.

    A wrong token, or no answer after `attempts` tries (None: try forever), ends the command
    with one line.
    """
    try:
        return await reach_telegram(bot, attempts=attempts)
    except TelegramRefused as exc:
        reason = str(exc)
    except (NetworkError, TimedOut) as exc:
        where = bot.base_url.removesuffix(bot.token)
        reason = f"Telegram at {where} did not answer after {attempts} tries ({exc})"
    typer.secho(f"Cannot {command}: {reason}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)
