"""What every handler and job reaches through `context`: settings, database, the viewer."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Literal

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.chat.view_log import ViewLog
from bot.config import Settings
from bot.db import SessionMaker
from bot.ops.metrics import Metrics
from models.access import StaffAccessCache, Viewer
from models.import_stamp_queries import ImportStamps, StampCache
from models.timetable_snapshot import TimetableCache, TimetableSnapshot

if TYPE_CHECKING:  # aiohttp loads only where the port is served
    from aiohttp.web import AppRunner


# What a process does: `run` everything alone; `web` answers webhook updates; `worker` sends
# and runs the jobs, while it leads.
Role = Literal["run", "web", "worker"]


class BotData:
    """Application-wide state; PTB creates it empty and build_application fills it."""

    settings: Settings
    sessionmaker: SessionMaker
    stamps: StampCache  # when each kind of data was last imported
    staff_access: StaffAccessCache  # staff roles and tutored groups
    view_log: ViewLog  # views of personal data on their way to the audit log
    timetable: TimetableCache  # the timetable in memory, reloaded after each import
    registered: set[str]  # the command names that have handlers
    commands: dict[str, "Callback"]  # command name -> its callback, for the menu buttons
    metrics: Metrics  # what /metrics exports
    role: Role = "run"
    leading: bool = True  # runs the sender and the leader's jobs (a worker: once elected)
    sender_task: "asyncio.Task[None] | None" = None  # the outbox sender, once started
    ops_server: "AppRunner | None" = None  # the /healthz and /metrics port, while it serves


class UserData(dict[str, Any]):
    """Per-user scratch space; the registration handler puts the current Viewer here."""

    @property
    def viewer(self) -> Viewer:
        viewer = self.get("viewer")
        assert isinstance(viewer, Viewer), "the registration handler runs first (group -1)"
        return viewer

    @property
    def stamps(self) -> ImportStamps:
        stamps = self.get("stamps")
        assert isinstance(stamps, ImportStamps), "the registration handler runs first (group -1)"
        return stamps


Context = CallbackContext[ExtBot[None], UserData, dict[Any, Any], BotData]
SchoolApplication = Application[
    ExtBot[None], Context, UserData, dict[Any, Any], BotData, JobQueue[Context]
]
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]


def viewer_of(context: Context) -> Viewer:
    """Return the Viewer the registration handler attached to this update's user."""
    assert context.user_data is not None
    return context.user_data.viewer


def stamps_of(context: Context) -> ImportStamps:
    """Return the import stamps of the data version this update sees."""
    assert context.user_data is not None
    return context.user_data.stamps


async def timetable_of(context: Context) -> TimetableSnapshot:
    """Return the timetable in memory for the data this update sees (read after an import)."""
    async with context.bot_data.sessionmaker() as session:
        return await context.bot_data.timetable.current(session, stamps_of(context))
