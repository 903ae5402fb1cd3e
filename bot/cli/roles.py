"""`schoolbot web` and `schoolbot worker`: the two roles of a larger install on PostgreSQL."""

import asyncio
import logging
import signal
from functools import partial
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # loaded by the commands themselves, so `schoolbot --help` stays quick
    from bot.app import SchoolApplication
    from bot.ops.leader import LeaderLock

logger = logging.getLogger(__name__)


def web() -> None:
    """Answer updates Telegram posts to WEBHOOK_URL; run as many replicas as you like.

    Runs no scheduled job and no sender: `schoolbot worker` does. PostgreSQL only.
    """
    from bot.cli.start import application_for, checked_settings, serve_webhook

    settings = checked_settings("web")
    application, username = application_for(settings, "web")
    logger.info("@%s: web replica starting", username)
    serve_webhook(application, settings)
    logger.info("stopped")


def worker() -> None:
    """Send the outbox and run the scheduled jobs while this worker leads; otherwise stand by.

    Any number may run: one leads (a PostgreSQL advisory lock), the others take over within
    seconds when it stops. Receives no updates. PostgreSQL only.
    """
    from bot.cli.start import application_for, checked_settings
    from bot.ops.leader import LeaderLock

    settings = checked_settings("worker")
    application, username = application_for(settings, "worker")
    logger.info("@%s: worker started; it leads when no other worker does", username)
    asyncio.run(_work(application, LeaderLock(settings.database_url)))
    logger.info("stopped")


async def _work(application: "SchoolApplication", lock: "LeaderLock") -> None:
    """Start the application without updates, contend to lead until a stop signal, stop."""
    from bot.ops.leader import lead_while_elected
    from bot.schedule import start_leading, stop_leading

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, stopping.set)
    await application.initialize()
    try:
        if application.post_init is not None:  # the operations port, the command list
            await application.post_init(application)
        await application.start()  # the JobQueue: the jobs each process runs
        await lead_while_elected(
            lock,
            stopping=stopping,
            on_elected=partial(start_leading, application),
            on_deposed=partial(stop_leading, application),
        )
    finally:
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        await application.shutdown()


def register(app: typer.Typer) -> None:
    app.command("web")(web)
    app.command("worker")(worker)
