"""In the sandbox, an admin announces to two groups and gets a report matching what arrived."""

import asyncio
from datetime import time

from bot.cli.demo_run import start_demo
from bot.config import Settings
from bot.db import SessionMaker
from bot.sandbox import Persona, Sandbox
from tests.builders import add_group, add_staff, add_student

ADMIN = Persona("admin", "Study department", "admin", 930_001, "Admin", "en")
STUDENTS = [
    Persona(f"student{n}", f"A student of {group}", "student", 930_100 + n, "Student", "en")
    for n, group in enumerate(["AM-21", "AM-21", "KS-21", "DT-31"])
]
BLOCKER = STUDENTS[1]  # has blocked the bot


async def _school(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        groups = {code: await add_group(session, code=code) for code in ("AM-21", "KS-21", "DT-31")}
        for persona in STUDENTS:
            code = persona.label.rsplit(" ", 1)[-1]
            await add_student(session, group=groups[code], telegram_id=persona.telegram_id)
        await add_staff(session, telegram_id=ADMIN.telegram_id, is_admin=True)


async def _message_containing(sandbox: Sandbox, chat: int, text: str) -> str:
    """Wait for the bot's message (sent or edited) to this chat that contains `text`."""
    async with asyncio.timeout(30):
        while True:
            for message in reversed(sandbox.emulator.messages_for(chat)):
                if text in (message.text or ""):
                    return message.text or ""
            await asyncio.sleep(0.05)


async def test_an_admin_announces_to_two_groups_and_the_report_matches(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    await _school(sessionmaker)
    always_awake = settings.model_copy(
        update={"quiet_hours_start": time(0, 0), "quiet_hours_end": time(0, 0)}
    )
    demo = await start_demo(always_awake, sessionmaker, personas=[ADMIN, *STUDENTS])
    try:
        emulator = demo.sandbox.emulator
        for persona in STUDENTS:
            emulator.register_user(persona.user)
        emulator.faults.block(BLOCKER.telegram_id)

        await emulator.user_sends(ADMIN.user, "/announce group:AM-21,KS-21\nNo lessons on Friday.")
        await emulator.wait_for_bot_message(ADMIN.telegram_id)  # "It will reach 3 people"
        preview = await emulator.wait_for_bot_message(ADMIN.telegram_id)
        assert preview.text == "No lessons on Friday."
        send = next(data for data in preview.callback_data if data.startswith("ann:send:"))
        await emulator.press_button(ADMIN.user, preview.message_id, send)

        report = await _message_containing(demo.sandbox, ADMIN.telegram_id, "is finished")
        assert "Sent: 2 of 3" in report and "Blocked the bot: 1" in report
        received = {p.key: len(emulator.messages_for(p.telegram_id)) for p in STUDENTS}
        assert received == {"student0": 1, "student1": 0, "student2": 1, "student3": 0}
        assert emulator.messages_for(STUDENTS[0].telegram_id)[0].text == "No lessons on Friday."
    finally:
        await demo.stop()
