"""A database that stays locked: one clear line in the person's language, nothing half-written,
and the bot answers again once the lock is gone."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from bot.cli.demo_run import RunningDemo, start_demo
from bot.config import Settings
from bot.db import SessionMaker, make_sessionmaker
from bot.sandbox import Persona
from models.accounts import TelegramAccount
from models.audit import AuditEntry
from models.school import Building
from tests.builders import buildings_xlsx
from tests.database_locks import impatient_engine, write_lock

ADMIN = Persona("admin", "Admin", "admin", 6201, "Админ", "ru")
NEWCOMER = Persona("newcomer", "A new user", "visitor", 6202, "Jauns", "lv")


@pytest.fixture
async def impatient(database_url: str, engine: AsyncEngine) -> AsyncIterator[SessionMaker]:
    """Sessions that give up on a lock within 0.2 s, where the bot's own wait 30 s."""
    gives_up = impatient_engine(database_url)
    yield make_sessionmaker(gives_up)
    await gives_up.dispose()


@pytest.fixture
async def demo(settings: Settings, impatient: SessionMaker) -> AsyncIterator[RunningDemo]:
    admin_settings = settings.model_copy(update={"admin_telegram_ids": [ADMIN.telegram_id]})
    running = await start_demo(admin_settings, impatient, personas=[ADMIN, NEWCOMER])
    yield running
    await running.stop()


async def _count(sessionmaker: SessionMaker, table: type[object]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_an_import_that_cannot_write_says_so_in_the_admins_language(
    demo: RunningDemo, database_url: str, sessionmaker: SessionMaker
) -> None:
    emulator = demo.sandbox.emulator
    await emulator.user_sends(ADMIN.user, "/start")
    await emulator.wait_for_bot_message(ADMIN.telegram_id)
    async with write_lock(database_url, table="building"):
        await emulator.send_document(ADMIN.user, "buildings.xlsx", buildings_xlsx(500))
        receipt = await emulator.wait_for_bot_message(ADMIN.telegram_id)
        failure = await emulator.wait_for_bot_message(ADMIN.telegram_id)
    assert receipt.text is not None and receipt.text.startswith("Получил buildings.xlsx.")
    assert failure.text == (
        "Импорт buildings.xlsx не удался по нашей вине; ничего не записано. "
        "Пожалуйста, попробуйте ещё раз через несколько минут."
    )
    assert await _count(sessionmaker, Building) == 0
    await emulator.send_document(ADMIN.user, "buildings.xlsx", buildings_xlsx(2))
    await emulator.wait_for_bot_message(ADMIN.telegram_id)  # the receipt: nothing is stuck
    report = await emulator.wait_for_bot_message(ADMIN.telegram_id)
    assert report.text is not None and "buildings.xlsx" in report.text
    assert await _count(sessionmaker, Building) == 2
    async with sessionmaker() as session:
        audited = list(await session.scalars(select(col(AuditEntry.detail))))
    assert audited == ["ok"]  # as before: the failed try is in the log file, not the audit log


async def test_a_locked_database_gets_a_try_again_answer_and_then_the_real_one(
    demo: RunningDemo, database_url: str, sessionmaker: SessionMaker
) -> None:
    emulator = demo.sandbox.emulator
    async with write_lock(database_url, table="telegram_account"):
        await emulator.user_sends(NEWCOMER.user, "/start")
        apology = await emulator.wait_for_bot_message(NEWCOMER.telegram_id)
    assert apology.text == (
        "Atvainojiet, mūsu pusē radās kļūda. Lūdzu, mēģiniet vēlreiz pēc minūtes."
    )
    assert await _count(sessionmaker, TelegramAccount) == 0
    await emulator.user_sends(NEWCOMER.user, "/start")
    greeting = await emulator.wait_for_bot_message(NEWCOMER.telegram_id)
    assert greeting.text is not None and greeting.text.startswith("Sveiki, Jauns!")
    assert await _count(sessionmaker, TelegramAccount) == 1
