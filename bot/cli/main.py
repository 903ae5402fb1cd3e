"""The `schoolbot` command line: database, import, demo data, the bot itself."""

import asyncio
import logging
from typing import Annotated

import typer

from bot import migrate
from bot.cli import accounts, announce, backup, demo, digest, imports, roles
from bot.cli.settings import settings_or_exit

logger = logging.getLogger(__name__)

app = typer.Typer(
    help="schoolbot: a Telegram assistant for a vocational school.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply the database migrations (creates the schema on an empty database)."""
    settings = settings_or_exit()
    migrate.upgrade(settings.database_url, revision)
    typer.echo(f"Database is at {revision}.")


@db_app.command("current")
def db_current() -> None:
    """Show the database's migration revision and the newest one."""
    from bot.db import create_engine

    settings = settings_or_exit()

    async def _read() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            return await migrate.current_revision(engine)
        finally:
            await engine.dispose()

    current = asyncio.run(_read())
    typer.echo(
        f"current: {current or 'empty'}; head: {migrate.head_revision(settings.database_url)}"
    )


@app.command("run")
def run() -> None:
    """Start the bot alone: long polling (or a webhook when WEBHOOK_URL is set) until Ctrl-C."""
    from telegram import Update

    from bot.cli.start import application_for, cannot_start, checked_settings, serve_webhook
    from bot.ops.single_process import AnotherProcess, hold_sqlite_lock

    settings = checked_settings("run")
    try:
        lock = hold_sqlite_lock(settings.database_url)  # held until the process ends
    except AnotherProcess as exc:
        cannot_start(exc)
    application, username = application_for(settings, "run")
    if settings.webhook_url:
        logger.info("@%s: starting, updates by webhook", username)
        serve_webhook(application, settings)
    else:
        logger.info("@%s: starting long polling against %s", username, settings.telegram_api_url)
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    logger.info("stopped")
    if lock is not None:
        lock.close()


imports.register(app)
announce.register(app)
accounts.register(app)
demo.register(app)
digest.register(app)
backup.register(app)
roles.register(app)


def main() -> None:
    """Entry point of the console script."""
    app()
