"""A real PTB bot long-polls the emulator: text, commands, buttons, keyboards, photos."""

from bot.sandbox import Sandbox
from tests.sandbox.conftest import STUDENT, TUTOR
from tests.sandbox.echo_bot import EchoApp


async def test_text_is_echoed_with_html_turned_into_entities(
    sandbox: Sandbox, echo_app: EchoApp
) -> None:
    await sandbox.emulator.user_sends(STUDENT.user, "hello <there>")
    reply = await sandbox.emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert reply.text == "You said: hello <there>"
    assert reply.entities == [{"type": "bold", "offset": 10, "length": 13}]


async def test_start_payload_reaches_the_command_handler(
    sandbox: Sandbox, echo_app: EchoApp
) -> None:
    await sandbox.emulator.user_sends(STUDENT.user, "/start CODE-42_x")
    reply = await sandbox.emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert reply.text == "Welcome! Payload: CODE-42_x"


async def test_each_persona_has_its_own_chat(sandbox: Sandbox, echo_app: EchoApp) -> None:
    await sandbox.emulator.user_sends(STUDENT.user, "one")
    await sandbox.emulator.user_sends(TUTOR.user, "two")
    to_tutor = await sandbox.emulator.wait_for_bot_message(TUTOR.telegram_id)
    to_student = await sandbox.emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert to_tutor.text == "You said: two"
    assert to_student.text == "You said: one"
    assert [m.message_id for m in sandbox.emulator.conversation(TUTOR.telegram_id)] == [1, 2]


async def test_pressing_a_button_edits_the_message_and_shows_the_answer(
    sandbox: Sandbox, echo_app: EchoApp
) -> None:
    emulator = sandbox.emulator
    await emulator.user_sends(STUDENT.user, "menu")
    reply = await emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert reply.callback_data == ["like", "page:2"]

    query_id = await emulator.press_button(STUDENT.user, reply.message_id, "page:2")

    answer = await emulator.callback_answer(query_id)
    assert answer["text"] == "Pressed page:2"
    assert await emulator.state.signal.wait_until(lambda: reply.edit_date is not None, 5)
    assert reply.text == "Pressed: page:2"
    assert reply.entities == [{"type": "code", "offset": 9, "length": 6}]
    assert reply.callback_data == []  # an edit without reply_markup drops the keyboard


async def test_reply_keyboard_is_kept_until_a_one_time_button_is_pressed(
    sandbox: Sandbox, echo_app: EchoApp
) -> None:
    emulator = sandbox.emulator
    await emulator.user_sends(STUDENT.user, "/keyboard")
    await emulator.wait_for_bot_message(STUDENT.telegram_id)
    chat = emulator.state.chat(STUDENT.telegram_id)
    assert chat.reply_keyboard is not None
    assert [[b["text"] for b in row] for row in chat.reply_keyboard["keyboard"]] == [
        ["Yes", "No"],
        ["Maybe"],
    ]
    await emulator.user_sends(STUDENT.user, "Maybe")
    assert (await emulator.wait_for_bot_message(STUDENT.telegram_id)).text == "You said: Maybe"
    assert chat.reply_keyboard is None


async def test_bot_sends_a_photo_with_an_html_caption(sandbox: Sandbox, echo_app: EchoApp) -> None:
    await sandbox.emulator.user_sends(STUDENT.user, "/photo")
    reply = await sandbox.emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert reply.photo is not None
    assert (reply.photo.width, reply.photo.height) == (64, 48)
    assert reply.photo.data.startswith(b"\x89PNG")
    assert reply.caption == "A blue box"
    assert reply.caption_entities == [{"type": "italic", "offset": 2, "length": 4}]


async def test_inline_query_gets_the_bots_results(sandbox: Sandbox, echo_app: EchoApp) -> None:
    query_id = await sandbox.emulator.inline_query(STUDENT.user, "DT-31")
    results = await sandbox.emulator.inline_answer(query_id)
    assert [r["id"] for r in results] == ["echo-1"]
    assert results[0]["title"] == "Echo DT-31"
    assert results[0]["input_message_content"]["message_text"] == "<b>DT-31</b>"


async def test_user_document_is_downloaded_by_the_bot(sandbox: Sandbox, echo_app: EchoApp) -> None:
    emulator = sandbox.emulator
    payload = bytes(range(256)) * 40
    sent = await emulator.send_document(STUDENT.user, "marks.xlsx", payload)
    assert sent.document is not None
    assert sent.document.mime_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    confirmation = await emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert confirmation.text == "Got marks.xlsx: 10240 bytes"
    returned = await emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert returned.document is not None
    assert returned.document.file_name == "reversed.bin"
    assert returned.document.data == payload[::-1]
    assert returned.protect_content
