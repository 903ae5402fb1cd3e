"""The `schoolbot` command line: database, import, demo data, the bot itself."""

import asyncio
import logging
from typing import Annotated

import typer

from bot import migrate
from bot.cli import accounts, announce, backup, demo, digest, imports
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
    """Start the bot: long polling against TELEGRAM_API_URL until Ctrl-C."""
    from telegram import Update

    from bot.app import build_application
    from bot.db import create_engine, make_sessionmaker
    from bot.logs import configure_logging
    from bot.ops.single_process import AnotherProcess, hold_sqlite_lock
    from bot.ops.telegram_reach import TelegramRefused, reach_telegram
    from bot.preflight import PreflightError, check_ready

    settings = settings_or_exit()
    configure_logging(settings)
    try:
        asyncio.run(check_ready(settings))
    except PreflightError as exc:
        typer.secho(f"Cannot start: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    try:
        lock = hold_sqlite_lock(settings.database_url)  # held until the process ends
    except AnotherProcess as exc:
        typer.secho(f"Cannot start: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    engine = create_engine(settings.database_url, checkpoint_in_background=True)
    application = build_application(settings, sessionmaker=make_sessionmaker(engine))
    try:
        username = asyncio.run(reach_telegram(application.bot))
    except TelegramRefused as exc:
        typer.secho(f"Cannot start: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
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


def main() -> None:
    """Entry point of the console script."""
    app()
