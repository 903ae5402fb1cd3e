"""`schoolbot demo` end to end: a visitor talks to the real bot through the emulator."""

from bot.cli.demo_run import VISITOR, RunningDemo


async def test_visitor_is_greeted_in_latvian_with_the_menu(demo: RunningDemo) -> None:
    emulator = demo.sandbox.emulator
    await emulator.user_sends(VISITOR.user, "/start")
    reply = await emulator.wait_for_bot_message(VISITOR.telegram_id)
    assert reply.text is not None and "Sveiki, Visitor!" in reply.text
    assert emulator.state.chat(VISITOR.telegram_id).reply_keyboard is not None


async def test_visitor_switches_to_russian_with_a_button(demo: RunningDemo) -> None:
    emulator = demo.sandbox.emulator
    await emulator.user_sends(VISITOR.user, "/language")
    choice = await emulator.wait_for_bot_message(VISITOR.telegram_id)
    assert "lang:set:ru" in choice.callback_data

    await emulator.press_button(VISITOR.user, choice.message_id, "lang:set:ru")
    await emulator.wait_for_bot_message(VISITOR.telegram_id)
    await emulator.user_sends(VISITOR.user, "/help")
    help_text = (await emulator.wait_for_bot_message(VISITOR.telegram_id)).text
    assert help_text is not None and "/privacy" in help_text
    assert any("а" <= letter <= "я" for letter in help_text.lower())


async def test_nonsense_gets_an_answer_not_silence(demo: RunningDemo) -> None:
    emulator = demo.sandbox.emulator
    await emulator.user_sends(VISITOR.user, "🙂" * 50 + " <b>'; DROP TABLE student; --")
    reply = await emulator.wait_for_bot_message(VISITOR.telegram_id)
    assert reply.text
    await emulator.user_sends(VISITOR.user, "x" * 4096)
    assert (await emulator.wait_for_bot_message(VISITOR.telegram_id)).text


async def test_the_visitor_persona_is_on_the_page(demo: RunningDemo) -> None:
    assert [persona.key for persona in demo.sandbox.personas] == ["visitor"]
