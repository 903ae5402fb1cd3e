"""getUpdates as Telegram serves it: offsets confirm, timeouts wait, limits and filters apply."""

import asyncio

import pytest
from telegram import Bot, MessageEntity
from telegram.error import Conflict

from bot.sandbox import Sandbox
from tests.sandbox.conftest import STUDENT, TUTOR


async def test_updates_have_increasing_ids_and_per_chat_message_ids(
    sandbox: Sandbox, bot: Bot
) -> None:
    emulator = sandbox.emulator
    await emulator.user_sends(STUDENT.user, "a")
    await emulator.user_sends(TUTOR.user, "b")
    await emulator.user_sends(STUDENT.user, "c")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [1, 2, 3]
    assert [(u.message.chat.id, u.message.message_id) for u in updates if u.message] == [
        (STUDENT.telegram_id, 1),
        (TUTOR.telegram_id, 1),
        (STUDENT.telegram_id, 2),
    ]
    first = updates[0].message
    assert first is not None and first.from_user is not None
    assert first.from_user.language_code == "en"


async def test_an_update_confirmed_by_offset_is_not_delivered_again(
    sandbox: Sandbox, bot: Bot
) -> None:
    await sandbox.emulator.user_sends(STUDENT.user, "first")
    await sandbox.emulator.user_sends(STUDENT.user, "second")
    first_poll = await bot.get_updates(timeout=0)
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [u.update_id for u in first_poll]  # not confirmed yet

    confirmed = await bot.get_updates(offset=first_poll[0].update_id + 1, timeout=0)

    assert [u.message.text for u in confirmed if u.message] == ["second"]
    assert await bot.get_updates(offset=confirmed[-1].update_id + 1, timeout=0) == ()


async def test_get_updates_waits_and_returns_as_soon_as_an_update_arrives(
    sandbox: Sandbox, bot: Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    await asyncio.sleep(0.05)
    assert not poll.done()  # nothing to deliver: the request is held open

    await sandbox.emulator.user_sends(STUDENT.user, "wake up")

    updates = await asyncio.wait_for(poll, 5)  # far less than the 30 s poll timeout
    assert [u.message.text for u in updates if u.message] == ["wake up"]


async def test_get_updates_with_nothing_to_deliver_returns_empty(bot: Bot) -> None:
    assert await bot.get_updates(timeout=0) == ()


async def test_limit_caps_the_batch(sandbox: Sandbox, bot: Bot) -> None:
    for text in ("1", "2", "3"):
        await sandbox.emulator.user_sends(STUDENT.user, text)
    assert [u.message.text for u in await bot.get_updates(limit=2) if u.message] == ["1", "2"]


async def test_negative_offset_keeps_only_the_latest_updates(sandbox: Sandbox, bot: Bot) -> None:
    for text in ("1", "2", "3"):
        await sandbox.emulator.user_sends(STUDENT.user, text)
    assert [u.message.text for u in await bot.get_updates(offset=-1) if u.message] == ["3"]


async def test_allowed_updates_filters_later_updates(sandbox: Sandbox, bot: Bot) -> None:
    await bot.get_updates(timeout=0, allowed_updates=["message"])
    await sandbox.emulator.inline_query(STUDENT.user, "ignored")
    await sandbox.emulator.user_sends(STUDENT.user, "kept")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["kept"]
    assert all(u.inline_query is None for u in updates)


async def test_drop_pending_updates_forgets_the_queue(sandbox: Sandbox, bot: Bot) -> None:
    await sandbox.emulator.user_sends(STUDENT.user, "old")
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()


async def test_commands_carry_a_bot_command_entity(sandbox: Sandbox, bot: Bot) -> None:
    await sandbox.emulator.user_sends(STUDENT.user, "/start ABC123")
    (update,) = await bot.get_updates(timeout=0)
    assert update.message is not None
    assert update.message.text == "/start ABC123"
    assert update.message.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, 6),)


async def test_a_second_bot_instance_terminates_the_first_poll(sandbox: Sandbox, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    await asyncio.sleep(0.05)
    async with Bot(sandbox.token, base_url=sandbox.api_base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 5)
