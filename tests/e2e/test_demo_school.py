"""`make demo` end to end: the generated school's personas talk to the real bot."""

import pytest

from bot.cli.demo_run import load_personas, start_demo
from bot.config import Settings
from bot.db import SessionMaker
from bot.demo.build import generate
from tests.demo_schools import TODAY


@pytest.mark.parametrize(
    ("key", "expected"),
    [("top_student", "/privacy"), ("tutor", "/announce"), ("study_head", "/codes")],
)
async def test_linked_personas_are_recognised_with_their_role(
    settings: Settings, sessionmaker: SessionMaker, key: str, expected: str
) -> None:
    await generate(sessionmaker, today=TODAY)
    personas = await load_personas(sessionmaker)
    persona = next(p for p in personas if p.key == key)
    demo = await start_demo(settings, sessionmaker, personas=personas)
    try:
        await demo.sandbox.emulator.user_sends(persona.user, "/help")
        reply = await demo.sandbox.emulator.wait_for_bot_message(persona.telegram_id)
        assert reply.text is not None and expected in reply.text
    finally:
        await demo.stop()
