"""An import sent to the bot runs in the background: download, check, write, audit, report."""

import html
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import Bot, Document, Update
from telegram.error import TelegramError

from bot.chat.context import BotData, Context, UserData
from bot.chat.replies import send_html
from bot.i18n import gettext_for
from models.access import Viewer, audit
from models.importing import ImportRefused, import_bytes

logger = logging.getLogger(__name__)

RUNNING = "import_running"  # user_data key: the name of the admin's file being imported


@dataclass(frozen=True)
class ImportRequest:
    """What the background run needs, taken from the update when the file arrived."""

    viewer: Viewer  # as checked then: the user's later updates replace user_data's
    chat_id: int
    document: Document
    kind: str | None
    dry_run: bool

    @property
    def name(self) -> str:
        return self.document.file_name or "file"


def running(user_data: UserData) -> str | None:
    """Return the name of the file this admin is importing now, if any."""
    name = user_data.get(RUNNING)
    return name if isinstance(name, str) else None


async def launch(update: Update, context: Context, request: ImportRequest) -> None:
    """Start the import as the application's task: the bot's shutdown waits for it to end.

    An application fed updates without running (a script, a test) has no one to await the
    task, so there the import runs within the update.
    """
    user_data = context.user_data
    assert user_data is not None
    user_data[RUNNING] = request.name  # the sender's updates run in turn: no race with running()
    importing = run_import(context.bot, context.bot_data, user_data, request)
    if not context.application.running:
        await importing
        return
    context.application.create_task(
        importing, update=update, name=f"import:{request.viewer.telegram_id}"
    )


async def run_import(bot: Bot, data: BotData, user_data: UserData, request: ImportRequest) -> None:
    """Import the file and send the report; whatever fails, the admin gets one clear line."""
    _ = gettext_for(request.viewer.language)
    try:
        text, outcome = await _import(bot, data, request)
    except Exception:  # the engine rolled back: say so, keep the bot answering
        logger.exception("import of %s failed", request.name)
        text, outcome = (
            _(
                "The import of {name} failed on our side; nothing was written. "
                "Please try again in a few minutes."
            ).format(name=request.name),
            "",
        )
    finally:
        user_data.pop(RUNNING, None)
    if outcome:
        await _audit(data, request, outcome)
    try:
        await send_html(bot, request.chat_id, html.escape(text))
    except TelegramError as exc:
        logger.warning("could not send the report on %s: %s", request.name, exc)


async def _import(bot: Bot, data: BotData, request: ImportRequest) -> tuple[str, str]:
    """Return the report's text and the audit outcome ("" when nothing was tried)."""
    _ = gettext_for(request.viewer.language)
    try:
        file = await request.document.get_file()
        content = bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        logger.info("could not download %s: %s", request.name, exc)
        return _("I could not download the file. Please send it again."), ""
    try:
        report = await import_bytes(
            data.sessionmaker,
            content,
            request.name,
            kind=request.kind,
            dry_run=request.dry_run,
            limits=data.settings.import_limits,
            now=datetime.now(UTC),
        )
    except ImportRefused as refusal:
        return refusal.render(_), "refused"
    return report.render(_), "ok" if report.ok else "rejected"


async def _audit(data: BotData, request: ImportRequest, outcome: str) -> None:
    """Log the import; the data is in already, so a failed log line only goes to the log."""
    action = "import:check" if request.dry_run else "import"
    try:
        async with data.sessionmaker.begin() as session:
            await audit(
                session, viewer=request.viewer, action=action, target=request.name, detail=outcome
            )
    except Exception:  # the report still goes out: the admin must know what was written
        logger.exception("could not audit the import of %s (%s)", request.name, outcome)
