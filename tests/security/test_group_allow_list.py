"""The bot leaves every group it is added to, except those on the admins' allow-list."""

import pytest
from sqlmodel import col, select
from telegram import Chat

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.audit import AuditEntry
from models.chat_allow_list import AllowedChat
from tests.fake_telegram import RecordingRequest, callback_update, chat_member_update, text_update
from tests.records_data import ADMIN, STUDENT, TUTOR, Records
from tests.records_data import records as records  # a fixture, shared
from tests.security.group_updates import (
    CHANNEL,
    GROUP,
    NOTICE,
    SUPERGROUP,
    chat_message,
    chat_press,
    forwarded_post,
    visible,
)

ADMINS_ONLY = "Only the school's administrators can manage group chats."


def _left(telegram: RecordingRequest) -> list[int | None]:
    return [c.chat_id for c in telegram.calls if c.method == "leaveChat"]


async def _allowed(sessionmaker: SessionMaker) -> list[int]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(AllowedChat.chat_id)))


async def _audit(sessionmaker: SessionMaker, action: str) -> list[str]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(AuditEntry).where(col(AuditEntry.action) == action))
        return [f"{row.actor.split(':')[0]} {row.target}" for row in rows]


async def _allow(app: SchoolApplication, chat: Chat) -> None:
    await app.process_update(text_update(app.bot, f"/groupchats allow {chat.id}", ADMIN))


@pytest.mark.parametrize("status", ["restricted", "member", "administrator"])
@pytest.mark.parametrize("chat", [GROUP, SUPERGROUP, CHANNEL], ids=lambda c: c.type)
async def test_the_bot_leaves_a_chat_it_is_added_to_whatever_its_status(
    app: SchoolApplication, telegram: RecordingRequest, records: Records, status: str, chat: Chat
) -> None:
    await app.process_update(chat_member_update(app.bot, TUTOR, status, chat=chat, old="left"))
    assert _left(telegram) == [chat.id]


async def test_the_admin_who_added_the_bot_is_offered_to_allow_the_chat(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, records: Records
) -> None:
    await app.process_update(chat_member_update(app.bot, ADMIN, "member", chat=SUPERGROUP))
    offer = telegram.last(ADMIN.id)
    assert str(SUPERGROUP.id) in offer.params["text"]
    assert telegram.buttons(offer) == [f"gc:allow:{SUPERGROUP.id}"]
    await app.process_update(callback_update(app.bot, f"gc:allow:{SUPERGROUP.id}", ADMIN))
    assert await _allowed(sessionmaker) == [SUPERGROUP.id]
    assert telegram.last_text(ADMIN.id) == f"Allowed: {SUPERGROUP.id}."


async def test_an_allowed_chat_keeps_the_bot(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await _allow(app, SUPERGROUP)
    await app.process_update(chat_member_update(app.bot, TUTOR, "restricted", chat=SUPERGROUP))
    assert _left(telegram) == []


async def test_an_admin_allows_lists_and_removes_a_chat_and_each_change_is_audited(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, records: Records
) -> None:
    await _allow(app, SUPERGROUP)
    assert telegram.last_text(ADMIN.id) == f"Allowed: {SUPERGROUP.id}."
    await _allow(app, SUPERGROUP)
    assert telegram.last_text(ADMIN.id) == f"{SUPERGROUP.id} was allowed already."
    await app.process_update(text_update(app.bot, "/groupchats", ADMIN))
    assert f"<code>{SUPERGROUP.id}</code>" in telegram.last_text(ADMIN.id)
    remove = f"/groupchats remove {SUPERGROUP.id}"
    await app.process_update(text_update(app.bot, remove, ADMIN))
    assert telegram.last_text(ADMIN.id) == f"Removed: {SUPERGROUP.id}."
    assert await _allowed(sessionmaker) == [] and _left(telegram) == [SUPERGROUP.id]
    target = f"chat:{SUPERGROUP.id}"
    assert await _audit(sessionmaker, "groupchats:allow") == [f"staff {target}"]
    assert await _audit(sessionmaker, "groupchats:remove") == [f"staff {target}"]


async def test_an_admin_allows_a_group_from_inside_it(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, records: Records
) -> None:
    await app.process_update(chat_message(app.bot, "/groupchats allow", ADMIN, GROUP))
    assert await _allowed(sessionmaker) == [GROUP.id]
    assert "allowed" in telegram.last_text(GROUP.id)
    async with sessionmaker() as session:
        title = await session.scalar(select(AllowedChat.title))
    assert title == GROUP.title


async def test_an_admin_forwards_a_channels_post_to_allow_the_channel(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, records: Records
) -> None:
    await app.process_update(forwarded_post(app.bot, TUTOR, CHANNEL))
    assert telegram.buttons(telegram.last(TUTOR.id)) == []
    await app.process_update(forwarded_post(app.bot, ADMIN, CHANNEL))
    offer = telegram.last(ADMIN.id)
    assert f"“{CHANNEL.title}” ({CHANNEL.id})" in offer.params["text"]
    assert telegram.buttons(offer) == [f"gc:allow:{CHANNEL.id}"]
    await app.process_update(callback_update(app.bot, f"gc:allow:{CHANNEL.id}", ADMIN))
    assert await _allowed(sessionmaker) == [CHANNEL.id]


@pytest.mark.parametrize("text", ["/groupchats allow -1001", "/groupchats allow"])
async def test_only_admins_manage_the_allow_list(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    records: Records,
    text: str,
) -> None:
    await app.process_update(text_update(app.bot, text, TUTOR))
    await app.process_update(chat_message(app.bot, text, TUTOR, GROUP))
    await app.process_update(callback_update(app.bot, f"gc:allow:{GROUP.id}", STUDENT))
    assert await _allowed(sessionmaker) == []
    assert telegram.last_text(TUTOR.id) == ADMINS_ONLY
    assert telegram.last_text(GROUP.id) == NOTICE


@pytest.mark.parametrize("chat_id", ["12345", "-0", "-99999999999999999", "abc"])
async def test_an_id_that_is_no_group_is_not_allowed(
    app: SchoolApplication, sessionmaker: SessionMaker, records: Records, chat_id: str
) -> None:
    await app.process_update(text_update(app.bot, f"/groupchats allow {chat_id}", ADMIN))
    assert await _allowed(sessionmaker) == []


async def test_an_allowed_group_gets_public_answers_only(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await _allow(app, SUPERGROUP)
    for text, expected in (("/timetable AM-21", "AM-21"), ("/consult", "")):
        telegram.clear()
        await app.process_update(chat_message(app.bot, text, TUTOR, SUPERGROUP))
        answers = telegram.texts(SUPERGROUP.id)
        assert answers and NOTICE not in answers and expected in answers[0], text
    for text in ("/absences", "/marks", "/practice", "/today", "/timetable", "/digest"):
        telegram.clear()
        await app.process_update(chat_message(app.bot, text, TUTOR, SUPERGROUP))
        assert telegram.texts(SUPERGROUP.id) == [NOTICE], text
    assert _left(telegram) == []


async def test_an_allowed_group_can_page_a_timetable_but_not_records(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await _allow(app, SUPERGROUP)
    await app.process_update(chat_message(app.bot, "/timetable AM-21", STUDENT, SUPERGROUP))
    paging = [b for b in telegram.buttons(telegram.last(SUPERGROUP.id)) if b.startswith("tt:")]
    telegram.clear()
    await app.process_update(chat_press(app.bot, paging[-1], STUDENT, SUPERGROUP))
    assert [c.method for c in visible(telegram)] == ["answerCallbackQuery", "editMessageText"]
    telegram.clear()
    await app.process_update(chat_press(app.bot, f"ab:m:{records.month}", STUDENT, SUPERGROUP))
    assert [c.params.get("text") for c in visible(telegram)] == [NOTICE]
