"""The emulator refuses what Telegram refuses, with Telegram's words (seen through PTB)."""

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, EndPointNotFound, InvalidToken

from bot.sandbox import Sandbox
from tests.sandbox.conftest import STUDENT

CHAT = STUDENT.telegram_id


async def test_empty_text_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(CHAT, "")


async def test_whitespace_only_text_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(CHAT, "  \n ")


async def test_text_over_4096_characters_is_refused(bot: Bot) -> None:
    await bot.send_message(CHAT, "я" * 4096)
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(CHAT, "я" * 4097)


async def test_the_limit_counts_text_after_html_parsing(bot: Bot) -> None:
    message = await bot.send_message(CHAT, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert message.text is not None and len(message.text) == 4096


async def test_caption_over_1024_characters_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_document(CHAT, b"data", filename="a.txt", caption="c" * 1025)


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("ā", callback_data="ā" * 33)]])
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_message(CHAT, "pick", reply_markup=markup)


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("a <div>x</div>", 'Unsupported start tag "div" at byte offset 2'),
        ("ā < b", 'Unsupported start tag "" at byte offset 3'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<a href='x", "Unclosed start tag at byte offset 0"),
        ('<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
async def test_broken_html_cannot_be_parsed(bot: Bot, html: str, reason: str) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(CHAT, html, parse_mode="HTML")
    # PTB strips "Bad Request: " and capitalises the rest.
    assert caught.value.message == f"Can't parse entities: {reason}".capitalize()


async def test_broken_markdown_v2_cannot_be_parsed(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"character '\.' is reserved and must be escaped"):
        await bot.send_message(CHAT, "End.", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match="can't find end of bold entity at byte offset 0"):
        await bot.send_message(CHAT, "*bold", parse_mode="MarkdownV2")


async def test_editing_with_identical_content_is_refused(bot: Bot) -> None:
    message = await bot.send_message(CHAT, "<b>same</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message"):
        await bot.edit_message_text("<b>same</b>", CHAT, message.message_id, parse_mode="HTML")
    edited = await bot.edit_message_text("<i>same</i>", CHAT, message.message_id, parse_mode="HTML")
    assert not isinstance(edited, bool) and edited.edit_date is not None


async def test_identical_reply_markup_is_not_a_modification(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    message = await bot.send_message(CHAT, "x", reply_markup=markup)
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_reply_markup(CHAT, message.message_id, reply_markup=markup)


async def test_unknown_chat_is_not_found(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(424242, "hello")


async def test_missing_messages_cannot_be_edited_or_deleted(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("new", CHAT, 999)
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await bot.delete_message(CHAT, 999)


async def test_deleted_message_leaves_the_chat(sandbox: Sandbox, bot: Bot) -> None:
    message = await bot.send_message(CHAT, "oops")
    assert await bot.delete_message(CHAT, message.message_id)
    assert sandbox.emulator.messages_for(CHAT) == []


async def test_reply_to_a_missing_message_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"^Message to be replied not found$"):
        await bot.send_message(CHAT, "re", reply_to_message_id=77)


async def test_registered_group_chat_can_be_written_to(sandbox: Sandbox, bot: Bot) -> None:
    sandbox.emulator.register_chat(-100500, title="KS-21 parents")
    message = await bot.send_message(-100500, "Meeting at 18:00")
    assert message.chat.type == "group" and message.chat.title == "KS-21 parents"


async def test_unknown_method_is_not_found(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound, match="sendTelepathy"):  # PTB's reading of the 404
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": CHAT})


async def test_wrong_token_is_unauthorized(sandbox: Sandbox) -> None:
    wrong = Bot("123456:WRONG", base_url=sandbox.api_base_url)
    with pytest.raises(InvalidToken):
        await wrong.initialize()  # checks the token with getMe
    await wrong.shutdown()
