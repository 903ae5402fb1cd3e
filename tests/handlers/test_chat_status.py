"""Blocking the bot marks the account blocked; restarting it clears the mark."""

from sqlmodel import col, select
from telegram import Chat

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.accounts import TelegramAccount
from tests.fake_telegram import RecordingRequest, chat_member_update, make_user, text_update

PERSON = make_user(5201, first_name="Person", language_code="en")


async def _blocked(sessionmaker: SessionMaker) -> bool:
    async with sessionmaker() as session:
        blocked = await session.scalar(
            select(TelegramAccount.blocked).where(col(TelegramAccount.telegram_id) == PERSON.id)
        )
    assert blocked is not None
    return blocked


async def test_blocking_and_unblocking_is_recorded(
    app: SchoolApplication, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/start", PERSON))
    assert not await _blocked(sessionmaker)

    await app.process_update(chat_member_update(app.bot, PERSON, "kicked"))
    assert await _blocked(sessionmaker)

    await app.process_update(chat_member_update(app.bot, PERSON, "member", old="kicked"))
    assert not await _blocked(sessionmaker)


async def test_a_group_membership_change_is_not_a_block(
    app: SchoolApplication, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/start", PERSON))
    group = Chat(-100123, "group", title="Class chat")
    await app.process_update(chat_member_update(app.bot, PERSON, "left", chat=group))
    assert not await _blocked(sessionmaker)
