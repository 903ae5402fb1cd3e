"""What every bot process does before it serves: check, build for its role, reach Telegram."""

import asyncio
import logging
from typing import NoReturn

import typer
from telegram import Update
from telegram.error import TelegramError

from bot.app import SchoolApplication, build_application
from bot.chat.context import Role
from bot.cli.reach import reach_or_exit
from bot.cli.settings import settings_or_exit
from bot.config import Settings
from bot.db import create_engine, make_sessionmaker
from bot.logs import configure_logging
from bot.preflight import PreflightError, check_ready, check_role

logger = logging.getLogger(__name__)


def cannot_start(reason: object) -> NoReturn:
    """Print one line saying why the process cannot start, and exit with 1."""
    typer.secho(f"Cannot start: {reason}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def checked_settings(role: Role) -> Settings:
    """The settings, after checking they suit the role and the database is ready."""
    settings = settings_or_exit()
    configure_logging(settings)
    try:
        check_role(settings, role)
        asyncio.run(check_ready(settings))
    except PreflightError as exc:
        cannot_start(exc)
    return settings


def application_for(settings: Settings, role: Role) -> tuple[SchoolApplication, str]:
    """Build the role's application, wait until Telegram answers; return it and the bot's name."""
    engine = create_engine(settings.database_url, checkpoint_in_background=True)
    application = build_application(settings, sessionmaker=make_sessionmaker(engine), role=role)
    username = asyncio.run(reach_or_exit(application.bot, "start", attempts=None))
    return application, username


def serve_webhook(application: SchoolApplication, settings: Settings) -> None:
    """Receive updates at WEBHOOK_URL until stopped; tell Telegram the address and secret first.

    Setting the same address and secret again is harmless, so every replica does it at start.
    """
    assert settings.webhook_url and settings.webhook_secret  # checked by check_role
    logger.info(
        "receiving updates posted to %s (listening on %s:%s%s)",
        settings.webhook_url,
        settings.webhook_listen,
        settings.webhook_port,
        settings.webhook_route,
    )
    try:
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_route,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
            bootstrap_retries=3,
        )
    except TelegramError as exc:
        cannot_start(f"Telegram refused the webhook {settings.webhook_url}: {exc}")
    except OSError as exc:
        cannot_start(
            f"cannot listen on {settings.webhook_listen}:{settings.webhook_port} "
            f"(WEBHOOK_LISTEN, WEBHOOK_PORT): {exc}"
        )
