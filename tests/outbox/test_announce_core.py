"""/announce and `schoolbot announce` share one flow: the same checks, answers and rows."""

import ast
import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col, select
from typer.testing import CliRunner

from bot.app import SchoolApplication
from bot.cli.main import app as cli
from bot.db import SessionMaker
from models.acknowledgements import queue_reminder
from models.announcements import Announcement, create_announcement
from models.audiences import resolve_audience
from models.audit import AuditEntry
from models.outbox import OutboxMessage, Status
from models.types import utcnow
from tests.builders import add_group, add_staff, add_student
from tests.fake_telegram import RecordingRequest, callback_update, make_user, text_update

ADMIN = make_user(7601, first_name="Admin", language_code="en")
ROOT = Path(__file__).parent.parent.parent

Announce = Callable[[str, str], Awaitable[str]]  # audience, text -> what the author reads


@pytest.fixture
async def school(
    sessionmaker: SessionMaker, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)  # for the command line
    async with sessionmaker.begin() as session:
        am21 = await add_group(session, code="AM-21", course=2)
        await add_student(session, group=am21, telegram_id=7611)
        await add_student(session, group=am21, telegram_id=7612)
        await add_staff(session, telegram_id=ADMIN.id, is_admin=True)


def _by_bot(app: SchoolApplication, telegram: RecordingRequest) -> Announce:
    """Write /announce as an admin; press Send under the preview if there is one."""

    async def announce(audience: str, text: str) -> str:
        await app.process_update(text_update(app.bot, f"/announce {audience}\n{text}", ADMIN))
        last = telegram.last(ADMIN.id)
        send = [data for data in telegram.buttons(last) if data.startswith("ann:send:")]
        if not send:
            return telegram.last_text(ADMIN.id)
        await app.process_update(callback_update(app.bot, send[0], ADMIN))
        return telegram.last_text(ADMIN.id)

    return announce


def _by_command_line() -> Announce:
    """Run `schoolbot announce` (in a thread: it runs its own event loop)."""

    async def announce(audience: str, text: str) -> str:
        args = ["announce", "--to", audience, "--text", text]
        result = await asyncio.to_thread(CliRunner().invoke, cli, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result.output

    return announce


@pytest.fixture(params=["bot", "command line"])
def announce(request: pytest.FixtureRequest, school: None) -> Announce:
    if request.param == "bot":
        return _by_bot(request.getfixturevalue("app"), request.getfixturevalue("telegram"))
    return _by_command_line()


async def _queued(sessionmaker: SessionMaker) -> list[tuple[int, str]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(OutboxMessage.chat_id, OutboxMessage.text).order_by("chat_id")
        )
        return [(int(chat), str(text)) for chat, text in rows.all()]


async def _drafts(sessionmaker: SessionMaker) -> int:
    async with sessionmaker() as session:
        found = await session.scalars(
            select(Announcement).where(col(Announcement.status) == "draft")
        )
        return len(found.all())


@pytest.mark.parametrize(
    ("audience", "answer"),
    [
        ("course:²", "A course is a number from 1 to 6, not ²."),
        ("course:٢", "A course is a number from 1 to 6, not ٢."),
        ("course:99999999999999999999", "A course is a number from 1 to 6, not 9999"),
        ("course:" + "9" * 5000, "The audience is too long: at most 500 characters."),
        ("курс:2", "Unknown audience: курс:2."),
        ("\x00junk\x07", "Unknown audience: junk."),
        ("group:" + "X" * 300, "No group XXXXXXXX"),
    ],
)
async def test_a_junk_audience_is_answered_clearly_by_both(
    announce: Announce, sessionmaker: SessionMaker, audience: str, answer: str
) -> None:
    reply = await announce(audience, "Hello")
    assert answer in reply
    assert len(reply) < 300  # the person's own junk is quoted short
    assert await _queued(sessionmaker) == []
    assert await _drafts(sessionmaker) == 0


async def test_text_over_the_limit_in_utf16_units_is_refused_by_both(
    announce: Announce, sessionmaker: SessionMaker
) -> None:
    reply = await announce("group:AM-21", "😀" * 2100)  # 2,100 characters, 4,200 UTF-16 units
    assert "The text is 4200 characters long; the limit is 4096." in reply
    assert await _queued(sessionmaker) == []


async def test_control_characters_never_reach_the_recipients(
    announce: Announce, sessionmaker: SessionMaker
) -> None:
    reply = await announce("group:AM-21", "Fire\x00 drill\x07 at 10:00")
    assert "queued for 2 people" in reply
    assert await _queued(sessionmaker) == [
        (7611, "Fire drill at 10:00"),
        (7612, "Fire drill at 10:00"),
    ]


async def test_both_send_to_a_course_and_write_the_same_audit_trail(
    announce: Announce, sessionmaker: SessionMaker
) -> None:
    reply = await announce("course:2", "Exams start on Monday.")
    assert "queued for 2 people" in reply
    async with sessionmaker() as session:
        batch = (await session.scalars(select(Announcement))).one()
        actions = (
            await session.scalars(select(AuditEntry.action).order_by(col(AuditEntry.id)))
        ).all()
    assert (batch.status, batch.audience, batch.total) == ("queued", "course:2", 2)
    assert [a for a in actions if a.startswith("announce")] == ["announce_draft", "announce"]


async def test_markup_with_nothing_to_read_is_refused_on_the_command_line(
    school: None, sessionmaker: SessionMaker
) -> None:
    reply = await _by_command_line()("group:AM-21", "<b> </b><i></i>")
    assert "The announcement has no text." in reply
    assert await _queued(sessionmaker) == []


async def test_forged_ids_beyond_the_database_range_are_refused_politely(
    app: SchoolApplication, school: None, telegram: RecordingRequest
) -> None:
    for data in ("ann:send:9999999999", "ann:cancel:2147483648", "ack:who:9999999999"):
        await app.process_update(callback_update(app.bot, data, ADMIN))
    await app.process_update(callback_update(app.bot, "ack:9999999999", ADMIN))
    answers = [
        str(call.params.get("text", ""))
        for call in telegram.calls
        if call.method == "answerCallbackQuery"
    ]
    assert len(answers) == 4
    assert all("no longer available" in a or "out of date" in a for a in answers), answers


@pytest.mark.parametrize(
    "module",
    [
        "models/announcements.py",
        "models/announcement_drafts.py",
        "models/acknowledgements.py",
        "models/audiences.py",
        "models/telegram_html.py",
    ],
)
def test_the_announcement_core_imports_nothing_of_the_edge(module: str) -> None:
    tree = ast.parse((ROOT / module).read_text("utf-8"))
    imported = {
        name
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    assert {name for name in imported if name.split(".")[0] in ("bot", "handlers", "jobs")} == set()


async def test_the_read_button_and_the_reminder_are_worded_by_the_caller(
    school: None, sessionmaker: SessionMaker
) -> None:
    def translate(language: str) -> Callable[[str], str]:
        return lambda message: f"[{language}] {message}"

    async with sessionmaker.begin() as session:
        batch = await create_announcement(
            session,
            audience=await resolve_audience(session, "group:AM-21"),
            text="House rules.",
            actor="cli",
            author_language="ru",
            requires_ack=True,
            translate=translate,
        )
        await session.execute(update(OutboxMessage).values(status=Status.SENT))
        await queue_reminder(
            session, batch=batch, default_language="ru", now=utcnow(), translate=translate
        )
    async with sessionmaker() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(col(OutboxMessage.id)))).all()
    assert {row.button_text for row in rows} == {"[ru] ✅ I have read it"}
    reminders = [row.text for row in rows if row.dedupe_key.startswith("remind:")]
    assert reminders == ["[ru] 🔔 Reminder: please confirm you have read this.\n\nHouse rules."] * 2
