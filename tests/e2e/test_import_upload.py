"""An admin imports a file by sending it to the bot; nobody else can."""

import io
import zipfile
from collections.abc import AsyncIterator

import pytest
from sqlmodel import col, select

from bot.cli.demo_run import RunningDemo, start_demo
from bot.config import Settings
from bot.db import SessionMaker
from bot.sandbox import Persona
from bot.sandbox.state import ChatMessage
from models.audit import AuditEntry
from models.school import Building

ADMIN = Persona("admin", "Admin", "admin", 6001, "Admin", "en")
STRANGER = Persona("stranger", "A new user", "visitor", 6002, "Someone", "ru")
BUILDINGS_CSV = "code;name;address\nSTR16;Strādnieku ielas korpuss;Strādnieku iela 16\n"


@pytest.fixture
async def demo(settings: Settings, sessionmaker: SessionMaker) -> AsyncIterator[RunningDemo]:
    admin_settings = settings.model_copy(update={"admin_telegram_ids": [ADMIN.telegram_id]})
    running = await start_demo(admin_settings, sessionmaker, personas=[ADMIN, STRANGER])
    yield running
    await running.stop()


async def _report(demo: RunningDemo, persona: Persona) -> ChatMessage:
    """Read the receipt the bot sends at once, then return the report that follows it."""
    emulator = demo.sandbox.emulator
    receipt = await emulator.wait_for_bot_message(persona.telegram_id)
    assert receipt.text is not None and receipt.text.startswith("Received ")
    return await emulator.wait_for_bot_message(persona.telegram_id)


async def _buildings(sessionmaker: SessionMaker) -> list[str]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Building.code)))


async def test_admin_imports_a_csv_sent_to_the_bot(
    demo: RunningDemo, sessionmaker: SessionMaker
) -> None:
    emulator = demo.sandbox.emulator
    await emulator.send_document(ADMIN.user, "buildings.csv", BUILDINGS_CSV.encode())
    reply = await _report(demo, ADMIN)
    assert reply.text is not None and "New: 1" in reply.text
    assert await _buildings(sessionmaker) == ["STR16"]


async def test_check_in_the_caption_writes_nothing(
    demo: RunningDemo, sessionmaker: SessionMaker
) -> None:
    emulator = demo.sandbox.emulator
    await emulator.send_document(
        ADMIN.user, "buildings.csv", BUILDINGS_CSV.encode(), caption="check"
    )
    reply = await _report(demo, ADMIN)
    assert reply.text is not None and "nothing was written" in reply.text
    assert await _buildings(sessionmaker) == []


async def test_a_bad_file_is_refused_with_a_reason(
    demo: RunningDemo, sessionmaker: SessionMaker
) -> None:
    emulator = demo.sandbox.emulator
    await emulator.send_document(ADMIN.user, "photo.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(300))
    reply = await _report(demo, ADMIN)
    assert reply.text and "photo.xlsx" in reply.text
    await emulator.send_document(ADMIN.user, "buildings.csv", b"code;name\nSTR16;\n")
    reply = await _report(demo, ADMIN)
    assert reply.text and "Nothing was imported" in reply.text
    assert await _buildings(sessionmaker) == []


async def test_a_non_admin_cannot_import_and_the_refusal_is_logged(
    demo: RunningDemo, sessionmaker: SessionMaker
) -> None:
    emulator = demo.sandbox.emulator
    await emulator.send_document(STRANGER.user, "buildings.csv", BUILDINGS_CSV.encode())
    reply = await emulator.wait_for_bot_message(STRANGER.telegram_id)
    assert reply.text == "Импортировать данные могут только администраторы школы."
    assert await _buildings(sessionmaker) == []
    async with sessionmaker() as session:
        refusals = list(
            await session.scalars(
                select(AuditEntry.target).where(col(AuditEntry.action) == "refused")
            )
        )
    assert refusals == ["import:file"]


async def test_import_command_sends_the_templates(demo: RunningDemo) -> None:
    emulator = demo.sandbox.emulator
    await emulator.user_sends(ADMIN.user, "/import")
    await emulator.wait_for_bot_message(ADMIN.telegram_id)
    attachment = await emulator.wait_for_bot_message(ADMIN.telegram_id)
    assert attachment.document is not None
    names = zipfile.ZipFile(io.BytesIO(attachment.document.data)).namelist()
    assert "students.xlsx" in names and "buildings.xlsx" in names
