"""Files, command menus, getChat and the other calls the bot makes, through PTB's Bot."""

from io import BytesIO

import pytest
from PIL import Image
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    MenuButtonCommands,
)
from telegram.error import BadRequest

from bot.sandbox import Sandbox
from bot.sandbox.commands import commands_for
from tests.sandbox.conftest import STUDENT, TUTOR

CHAT = STUDENT.telegram_id


def png(width: int, height: int) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "school_sandbox_bot")


async def test_document_upload_is_stored_and_reusable_by_file_id(
    sandbox: Sandbox, bot: Bot
) -> None:
    sent = await bot.send_document(CHAT, b"id;name\n1;A\n", filename="list.csv", caption="List")
    assert sent.document is not None and sent.document.file_name == "list.csv"
    again = await bot.send_document(TUTOR.telegram_id, sent.document.file_id)
    assert again.document is not None and again.document.file_id == sent.document.file_id
    stored = sandbox.emulator.messages_for(TUTOR.telegram_id)[0].document
    assert stored is not None and stored.data == b"id;name\n1;A\n"
    assert stored.mime_type == "text/csv"


async def test_unknown_file_id_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(CHAT, "no-such-file")


async def test_photo_keeps_its_size_and_bytes(sandbox: Sandbox, bot: Bot) -> None:
    sent = await bot.send_photo(CHAT, png(30, 20), protect_content=True)
    assert sent.photo[-1].width == 30 and sent.photo[-1].height == 20
    assert sent.has_protected_content
    (stored,) = sandbox.emulator.messages_for(CHAT)
    assert stored.photo is not None and stored.photo.data == png(30, 20)


async def test_a_photo_must_be_a_picture(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(CHAT, b"not a picture")


async def test_get_file_and_download_a_users_document(sandbox: Sandbox, bot: Bot) -> None:
    message = await sandbox.emulator.send_document(STUDENT.user, "absences.xlsx", b"PK\x03\x04xx")
    assert message.document is not None
    file = await bot.get_file(message.document.file_id)
    assert file.file_path is not None and file.file_path.startswith(sandbox.file_base_url)
    assert file.file_path.endswith(".xlsx")
    assert bytes(await file.download_as_bytearray()) == b"PK\x03\x04xx"


async def test_commands_are_kept_per_scope_and_language(sandbox: Sandbox, bot: Bot) -> None:
    latvian = [BotCommand("start", "Sākt"), BotCommand("help", "Palīdzība")]
    russian = [BotCommand("start", "Начать")]
    await bot.set_my_commands(latvian)
    await bot.set_my_commands(russian, language_code="ru")
    await bot.set_my_commands([BotCommand("admin", "Admin")], scope=BotCommandScopeChat(CHAT))

    assert await bot.get_my_commands() == tuple(latvian)
    assert await bot.get_my_commands(language_code="ru") == tuple(russian)
    assert await bot.get_my_commands(language_code="en") == ()
    state = sandbox.emulator.state
    assert [c["command"] for c in commands_for(state, state.chat(CHAT), "en")] == ["admin"]
    tutor_menu = commands_for(state, state.chat(TUTOR.telegram_id), "ru")
    assert [c["description"] for c in tutor_menu] == ["Начать"]

    await bot.delete_my_commands(scope=BotCommandScopeDefault(), language_code="ru")
    assert await bot.get_my_commands(language_code="ru") == ()


async def test_invalid_command_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_get_chat_and_menu_button(bot: Bot) -> None:
    chat = await bot.get_chat(CHAT)
    assert (chat.id, chat.type, chat.first_name) == (CHAT, "private", "Student")
    assert await bot.set_chat_menu_button(CHAT, MenuButtonCommands())
    assert isinstance(await bot.get_chat_menu_button(CHAT), MenuButtonCommands)


async def test_answering_an_unknown_callback_query_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("12345")


async def test_log_out_and_close_are_harmless(bot: Bot) -> None:
    assert await bot.log_out()
    assert await bot.close()
