"""A new user in the demo links with the code the page shows, then switches to Russian."""

import re

from bot.cli.demo_run import load_personas, start_demo
from bot.config import Settings
from bot.db import SessionMaker
from models.demo import DemoPersona
from tests.builders import add_group, add_student

CODE = re.compile(r"Link code: (\w{4}-\w{4})")


async def add_unlinked_persona(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        student = await add_student(session, group=group, number="S-1", first_name="Jānis")
        session.add(
            DemoPersona(
                key="new_student",
                label="A student who has not linked yet",
                role="student",
                student_id=student.id,
                telegram_id=900_000_001,
            )
        )


async def test_new_student_links_with_the_shown_code_and_switches_language(
    settings: Settings, sessionmaker: SessionMaker
) -> None:
    await add_unlinked_persona(sessionmaker)
    personas = await load_personas(sessionmaker)
    persona = next(p for p in personas if p.key == "new_student")
    match = CODE.search(persona.note)
    assert match, persona.note

    demo = await start_demo(settings, sessionmaker, personas=personas)
    try:
        emulator = demo.sandbox.emulator
        await emulator.user_sends(persona.user, match.group(1).lower())
        welcome = await emulator.wait_for_bot_message(persona.telegram_id)
        assert welcome.text is not None and "AM-21" in welcome.text
        assert welcome.protect_content

        await emulator.user_sends(persona.user, "/language")
        choice = await emulator.wait_for_bot_message(persona.telegram_id)
        await emulator.press_button(persona.user, choice.message_id, "lang:set:ru")
        await emulator.wait_for_bot_message(persona.telegram_id)
        await emulator.user_sends(persona.user, "/help")
        help_text = (await emulator.wait_for_bot_message(persona.telegram_id)).text
        assert help_text is not None and "/mydata" in help_text and "/codes" not in help_text
    finally:
        await demo.stop()


async def test_a_linked_persona_shows_its_story_not_a_code(sessionmaker: SessionMaker) -> None:
    await add_unlinked_persona(sessionmaker)
    first = await load_personas(sessionmaker)
    second = await load_personas(sessionmaker)
    codes = [CODE.search(p.note) for p in (*first, *second) if p.key == "new_student"]
    assert all(codes) and len({c.group(1) for c in codes if c}) == 2  # a fresh code each start
