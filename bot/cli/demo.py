"""`schoolbot demo`: try the bot in a browser, with no Telegram token and no internet."""

import asyncio
import contextlib
import datetime as dt
import signal
from typing import Annotated

import typer

from bot import migrate
from bot.cli.demo_run import DEMO_DATABASE_URL, start_demo
from bot.cli.settings import settings_or_exit
from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.demo.build import DemoSummary, generate
from bot.demo.rows import SchoolNotEmpty


def register(app: typer.Typer) -> None:
    """Add the demo and demo-data commands to the `schoolbot` app."""
    app.command("demo")(demo_command)
    app.command("demo-data")(demo_data_command)


def demo_data_command(
    seed: Annotated[int, typer.Option(help="The same seed gives the same school.")] = 2020,
    today: Annotated[
        str | None, typer.Option(help="The day the demo is for, YYYY-MM-DD (default: today).")
    ] = None,
    scale: Annotated[
        int, typer.Option(min=1, max=100, help="How many schools' worth of groups and students.")
    ] = 1,
    database: Annotated[
        str | None, typer.Option(help="Database URL (default: DATABASE_URL).")
    ] = None,
) -> None:
    """Fill an empty database with the demo school, dated so that it has a current week."""

    settings = settings_or_exit()
    url = database or settings.database_url
    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        typer.secho(f"--today must be YYYY-MM-DD, not {today!r}.", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    migrate.upgrade(url)
    try:
        summary = asyncio.run(_fill(url, day, seed=seed, scale=scale))
    except SchoolNotEmpty as exc:
        typer.secho(f"Nothing done: {exc}. Use an empty database.", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    typer.echo(summary.render())


async def _fill(url: str, today: dt.date, *, seed: int, scale: int) -> DemoSummary:
    engine = create_engine(url)
    try:
        return await generate(make_sessionmaker(engine), today=today, seed=seed, scale=scale)
    finally:
        await engine.dispose()


async def _fill_if_empty(sessionmaker: SessionMaker, today: dt.date) -> DemoSummary | None:
    """Build the demo school in an empty database; leave a filled one as it is."""
    try:
        return await generate(sessionmaker, today=today)
    except SchoolNotEmpty:
        return None


def demo_command(
    port: Annotated[int, typer.Option(help="Port of the chat page and the emulator.")] = 8080,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    database: Annotated[
        str, typer.Option(help="Demo database (kept apart from DATABASE_URL).")
    ] = DEMO_DATABASE_URL,
) -> None:
    """Run the real bot against a local Telegram emulator and open a chat page for it."""

    settings = settings_or_exit().model_copy(update={"database_url": database})
    migrate.upgrade(database)
    asyncio.run(_serve(settings, host, port))


async def _serve(settings: Settings, host: str, port: int) -> None:
    engine = create_engine(settings.database_url, checkpoint_in_background=True)
    try:
        sessionmaker = make_sessionmaker(engine)
        filled = await _fill_if_empty(sessionmaker, dt.datetime.now(settings.tz).date())
        if filled is not None:
            typer.echo(filled.render())
        demo = await start_demo(settings, sessionmaker, host=host, port=port)
        typer.secho(f"\nschoolbot demo is running: open {demo.sandbox.url}", bold=True)
        typer.echo("Pick a persona on the left and talk to the bot. Ctrl-C stops.\n")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # not on Windows
                loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        typer.echo("Stopping…")
        await demo.stop()
    finally:
        await engine.dispose()
