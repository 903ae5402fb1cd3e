"""`schoolbot demo`: try the bot in a browser, with no Telegram token and no internet."""

import asyncio
import contextlib
import signal
from typing import Annotated

import typer

from bot import migrate
from bot.config import Settings
from bot.db import create_engine, make_sessionmaker
from bot.demo import DEMO_DATABASE_URL, start_demo


def register(app: typer.Typer) -> None:
    """Add the demo command to the `schoolbot` app."""
    app.command("demo")(demo_command)


def demo_command(
    port: Annotated[int, typer.Option(help="Port of the chat page and the emulator.")] = 8080,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    database: Annotated[
        str, typer.Option(help="Demo database (kept apart from DATABASE_URL).")
    ] = DEMO_DATABASE_URL,
) -> None:
    """Run the real bot against a local Telegram emulator and open a chat page for it."""
    from bot.cli import settings_or_exit  # bot.cli registers this command: import late

    settings = settings_or_exit().model_copy(update={"database_url": database})
    migrate.upgrade(database)
    asyncio.run(_serve(settings, host, port))


async def _serve(settings: Settings, host: str, port: int) -> None:
    engine = create_engine(settings.database_url)
    try:
        demo = await start_demo(settings, make_sessionmaker(engine), host=host, port=port)
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
