"""Outside the private chat every command and button answers one notice and nothing personal."""

import pytest
from telegram import Chat, User

from bot.app import SchoolApplication
from bot.i18n import gettext_for
from tests.fake_telegram import RecordingRequest, inline_update
from tests.records_data import ADMIN, STUDENT, TUTOR, Records
from tests.records_data import records as records  # a fixture, shared
from tests.security.group_updates import (
    CHANNEL,
    GROUP,
    NOTICE,
    NOTICES,
    PRIVATE_CHAT_LINK,
    SUPERGROUP,
    chat_message,
    chat_press,
    every_button,
    every_command,
    visible,
)

CHATS = [GROUP, SUPERGROUP, CHANNEL]
PERSONAL = ("Kalniņa", "Liepa", "Ivanova", "Auto Welle", "Matemātika")


def _assert_only_the_notice(telegram: RecordingRequest, chat: Chat, what: str) -> None:
    shown = visible(telegram)
    assert len(shown) == 1, f"{what}: {[(c.method, c.chat_id) for c in shown]}"
    call = shown[0]
    assert call.method == "sendMessage" and call.chat_id == chat.id, what
    language = NOTICES.get(call.params["text"])
    assert language is not None, (what, call.params["text"])
    (row,) = call.params["reply_markup"]["inline_keyboard"]
    label = gettext_for(language)("Open the private chat")
    assert row == [{"text": label, "url": PRIVATE_CHAT_LINK}], what


@pytest.mark.parametrize("chat", CHATS, ids=lambda c: c.type)
@pytest.mark.parametrize("user", [ADMIN, TUTOR, STUDENT], ids=lambda u: u.first_name)
async def test_every_command_outside_the_private_chat_answers_only_the_notice(
    app: SchoolApplication, telegram: RecordingRequest, records: Records, chat: Chat, user: User
) -> None:
    sender = None if chat.type == "channel" else user
    for command in every_command():
        for text in (f"/{command}", f"/{command}@school_bot AM-21"):
            telegram.clear()
            await app.process_update(chat_message(app.bot, text, sender, chat))
            _assert_only_the_notice(telegram, chat, text)


@pytest.mark.parametrize("chat", [*CHATS, None], ids=lambda c: c.type if c else "inline-message")
@pytest.mark.parametrize("user", [ADMIN, TUTOR, STUDENT], ids=lambda u: u.first_name)
async def test_every_button_outside_the_private_chat_answers_only_the_notice(
    app: SchoolApplication,
    telegram: RecordingRequest,
    records: Records,
    chat: Chat | None,
    user: User,
) -> None:
    buttons = [
        *every_button(),
        f"ab:m:{records.month}",
        f"mk:m:{records.month}",
        f"ab:s:{records.student}:{records.month}",
    ]
    for data in buttons:
        telegram.clear()
        await app.process_update(chat_press(app.bot, data, user, chat))
        shown = visible(telegram)
        assert [c.method for c in shown] == ["answerCallbackQuery"], (data, shown)
        assert shown[0].params["text"] == NOTICE, data
        assert shown[0].params["show_alert"] in (True, "true"), data


async def test_a_tutors_absences_in_a_group_show_no_student(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(chat_message(app.bot, "/absences", TUTOR, SUPERGROUP))
    sent = " ".join(str(c.params) for c in visible(telegram))
    assert not [name for name in PERSONAL if name in sent]
    assert telegram.last_text(SUPERGROUP.id) == NOTICE


async def test_an_edited_command_in_a_group_answers_only_the_notice(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(chat_message(app.bot, "/absences", TUTOR, GROUP, edited=True))
    _assert_only_the_notice(telegram, GROUP, "edited /absences")


async def test_the_notice_is_in_the_senders_language(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    latvian = User(8501, "Student", False, language_code="lv")
    await app.process_update(chat_message(app.bot, "/marks", latvian, GROUP))
    assert telegram.last_text(GROUP.id).startswith("Personas datus es rādu tikai")


async def test_a_command_outside_an_allowed_chat_makes_the_bot_leave(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(chat_message(app.bot, "/digest", ADMIN, SUPERGROUP))
    assert [c.chat_id for c in telegram.calls if c.method == "leaveChat"] == [SUPERGROUP.id]


async def test_other_messages_and_other_bots_commands_in_a_group_get_no_answer(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    for text in ("hello", "/absences@another_bot", "K7QM-4XPA"):
        await app.process_update(chat_message(app.bot, text, STUDENT, GROUP))
    assert visible(telegram) == []


async def test_inline_mode_offers_only_public_results(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    for user, query in ((TUTOR, "AM-21"), (STUDENT, "Kalniņa"), (ADMIN, "Anna"), (STUDENT, "MAT")):
        telegram.clear()
        await app.process_update(inline_update(app.bot, query, user))
        (answer,) = [c for c in telegram.calls if c.method == "answerInlineQuery"]
        results = answer.params["results"]
        assert all(r["id"].startswith(("tt-", "cs-")) for r in results), results
        texts = " ".join(r["input_message_content"]["message_text"] for r in results)
        assert "Kalniņa" not in texts and "Liepa" not in texts and "Auto Welle" not in texts
