"""A crash gets an apology and a logged traceback; groups are left; commands per language."""

import logging

import pytest
from telegram import Chat, Update
from telegram.ext import CommandHandler

from bot.app import SchoolApplication
from bot.chat.context import Context
from tests.fake_telegram import RecordingRequest, chat_member_update, make_user, text_update

RUSSIAN = make_user(5401, first_name="Someone", language_code="ru")


async def _explode(update: Update, context: Context) -> None:
    raise RuntimeError("a bug in a handler")


async def test_a_crash_gets_an_apology_in_the_users_language_and_a_logged_traceback(
    app: SchoolApplication, telegram: RecordingRequest, caplog: pytest.LogCaptureFixture
) -> None:
    app.handlers[0].insert(0, CommandHandler("explode", _explode))  # ahead of the fallback
    app.expect_crash = True  # type: ignore[attr-defined]  # read by the app fixture
    with caplog.at_level(logging.ERROR):
        await app.process_update(text_update(app.bot, "/explode", RUSSIAN))
    assert telegram.last_text(RUSSIAN.id).startswith("Извините")
    crash = next(r for r in caplog.records if r.name == "handlers.errors")
    assert crash.exc_info is not None and "a bug in a handler" in str(crash.exc_info[1])
    assert "Traceback" not in telegram.last_text(RUSSIAN.id)


async def test_the_bot_leaves_a_group_it_is_added_to(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    group = Chat(-100500, "supergroup", title="Class chat")
    await app.process_update(chat_member_update(app.bot, RUSSIAN, "member", chat=group, old="left"))
    methods = [call.method for call in telegram.calls if call.chat_id == group.id]
    assert methods == ["sendMessage", "leaveChat"]


async def test_commands_are_registered_in_every_language(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    assert app.post_init is not None
    await app.post_init(app)
    registered = [call for call in telegram.calls if call.method == "setMyCommands"]
    languages = {call.params.get("language_code") for call in registered}
    assert languages == {None, "lv", "ru", "en"}
    russian = next(c for c in registered if c.params.get("language_code") == "ru")
    descriptions = {
        command["command"]: command["description"] for command in russian.params["commands"]
    }
    assert "help" in descriptions and any("а" <= ch <= "я" for ch in descriptions["help"].lower())
