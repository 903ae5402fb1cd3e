"""Fixtures: the sandbox emulator, a PTB Bot pointed at it, and senders with test speeds."""

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import datetime, time

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.db import SessionMaker
from bot.sandbox import Sandbox, start_sandbox
from bot.sandbox.state import SandboxUser
from jobs.outbox_sender import OutboxSender
from jobs.sender_config import RIGA, SenderConfig
from models.announcements import create_announcement
from models.audiences import resolve_audience
from models.types import utcnow
from tests.builders import add_recipients, add_staff

FAST = SenderConfig(
    rate_per_second=2000.0,
    per_chat_interval=0.0,
    backoff_seconds=0.01,
    progress_interval=0.0,
    idle_poll=0.01,
    concurrency=8,
)


def clock_at(local: time) -> Callable[[], datetime]:
    """A running clock shifted so that it reads `local` (Riga time) now."""
    now = utcnow()
    wanted = datetime.combine(now.astimezone(RIGA).date(), local, tzinfo=RIGA)
    offset = wanted - now
    return lambda: utcnow() + offset


NOON = clock_at(time(12, 0))


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB warns about int retry_after unless opted in; warnings are errors in this suite."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    sandbox = await start_sandbox("127.0.0.1", 0)
    yield sandbox
    await sandbox.stop()


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    """A PTB Bot talking to the sandbox, with room for concurrent sends."""
    request = HTTPXRequest(connection_pool_size=16)
    async with Bot(
        sandbox.token,
        base_url=sandbox.api_base_url,
        base_file_url=sandbox.file_base_url,
        request=request,
    ) as bot:
        yield bot


def register_chats(sandbox: Sandbox, chat_ids: list[int]) -> None:
    """Open private chats in the emulator, as if each person had pressed Start."""
    for chat_id in chat_ids:
        sandbox.emulator.register_user(SandboxUser(chat_id, f"Person {chat_id}"))


async def announce_to_students(
    sessionmaker: SessionMaker, count: int, *, author: int, text: str
) -> tuple[int, list[int]]:
    """Add `count` linked students and an admin author; announce to every student.

    Returns the announcement's id and the students' chats.
    """
    async with sessionmaker.begin() as session:
        chats = await add_recipients(session, count=count)
        await add_staff(session, telegram_id=author, is_admin=True)
        batch = await create_announcement(
            session,
            audience=await resolve_audience(session, "students"),
            text=text,
            actor="admin:test",
            author_chat_id=author,
            author_language="en",
        )
        assert batch.id is not None
        return batch.id, chats


SenderFactory = Callable[..., OutboxSender]


@pytest.fixture
def make_sender(bot: Bot, sessionmaker: SessionMaker) -> SenderFactory:
    """Build a sender with test speeds; keyword overrides change the config or the clock."""

    def build(clock: Callable[[], datetime] = NOON, **overrides: object) -> OutboxSender:
        config = replace(FAST, **overrides)  # type: ignore[arg-type]  # config fields
        return OutboxSender(bot, sessionmaker, config, clock=clock)

    return build


def total_delivered(sandbox: Sandbox, chat_ids: list[int]) -> int:
    return sum(sandbox.emulator.delivered(chat) for chat in chat_ids)
