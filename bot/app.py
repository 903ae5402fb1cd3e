"""The composition root: build the python-telegram-bot Application with every handler wired."""

import gc
import logging
import os

from telegram import BotCommandScopeDefault
from telegram.ext import Application, CommandHandler, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.chat.commands import bot_commands
from bot.chat.context import BotData, SchoolApplication, UserData
from bot.chat.view_log import ViewLog
from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import LANGUAGES
from bot.ops.metrics import MeasuredUpdateProcessor, Metrics
from bot.schedule import schedule_jobs
from handlers import HANDLERS
from handlers.errors import handle_error
from models.access import StaffAccessCache
from models.import_stamp_queries import StampCache, newest_stamp_id
from models.timetable_snapshot import TimetableCache

__all__ = ["SchoolApplication", "build_application"]

logger = logging.getLogger(__name__)


def build_application(
    settings: Settings,
    *,
    sessionmaker: SessionMaker,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> SchoolApplication:
    """Wire settings, database and handlers into an Application (not started)."""
    # RetryAfter.retry_after as a timedelta, as PTB 22 will have it; the int form is deprecated.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    metrics = Metrics()
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    builder = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .defaults(Defaults(tzinfo=settings.tz))
        .context_types(ContextTypes(bot_data=BotData, user_data=UserData))
        .post_init(_after_start)
        .post_stop(_before_stop)
        .concurrent_updates(MeasuredUpdateProcessor(metrics, settings.concurrent_updates))
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    # The builder does not carry context_types() into the JobQueue generic.
    application: SchoolApplication = builder.build()  # type: ignore[assignment]

    for group, handler in HANDLERS:
        application.add_handler(handler, group=group)
    application.add_error_handler(handle_error)
    schedule_jobs(application)

    bot_data = application.bot_data
    bot_data.settings = settings
    bot_data.sessionmaker = sessionmaker
    bot_data.metrics = metrics
    bot_data.stamps = StampCache()
    bot_data.staff_access = StaffAccessCache()
    bot_data.view_log = ViewLog(sessionmaker)
    bot_data.timetable = TimetableCache()
    bot_data.commands = {
        command: handler.callback
        for _group, handler in HANDLERS
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    bot_data.registered = set(bot_data.commands)
    return application


async def _after_start(application: SchoolApplication) -> None:
    """Publish the commands, load the timetable, open the operations port, then freeze."""
    await _register_commands(application)
    data = application.bot_data
    async with data.sessionmaker() as session:  # before the first update: no answer waits for it
        stamps = await data.stamps.current(session, version=await newest_stamp_id(session))
        await data.timetable.current(session, stamps)
    settings = data.settings
    if settings.ops_port:
        from bot.ops.server import start_ops_server  # aiohttp: only where the port is served

        try:
            data.ops_server = await start_ops_server(
                data, host=settings.ops_host, port=settings.ops_port
            )
        except OSError as exc:  # the port is taken: answer people anyway, and say so loudly
            logger.error(
                "cannot serve /healthz and /metrics on port %s: %s", settings.ops_port, exc
            )
    # Everything loaded so far lives as long as the process: freezing it keeps the collector's
    # occasional full passes short, so no answer waits behind one.
    gc.collect()
    gc.freeze()


async def _before_stop(application: SchoolApplication) -> None:
    """Write the views still waiting for the audit log; close the operations port."""
    await application.bot_data.view_log.flush()
    if application.bot_data.ops_server is not None:
        await application.bot_data.ops_server.cleanup()


async def _register_commands(application: SchoolApplication) -> None:
    """Publish the command list in each language (Telegram shows the user's own)."""
    registered = application.bot_data.registered
    for language in LANGUAGES:
        await application.bot.set_my_commands(
            bot_commands(language, registered),
            scope=BotCommandScopeDefault(),
            language_code=language,
        )
    await application.bot.set_my_commands(
        bot_commands(application.bot_data.settings.default_language, registered)
    )
