"""/announce: preview, confirm or cancel; tutors limited to their groups; forged drafts refused."""

import re

import pytest
from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.announcements import Announcement
from models.outbox import OutboxMessage
from tests.builders import add_group, add_staff, add_student
from tests.fake_telegram import RecordingRequest, callback_update, make_user, text_update

ADMIN = make_user(7201, first_name="Admin", language_code="en")
TUTOR = make_user(7202, first_name="Tutor", language_code="en")
STUDENT = make_user(7301, first_name="Student", language_code="en")


@pytest.fixture
async def school(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        am21 = await add_group(session, code="AM-21")
        ks21 = await add_group(session, code="KS-21")
        await add_student(session, group=am21, telegram_id=STUDENT.id)
        await add_student(session, group=am21, telegram_id=7302)
        await add_student(session, group=ks21, telegram_id=7401)
        await add_staff(session, telegram_id=ADMIN.id, is_admin=True)
        await add_staff(session, telegram_id=TUTOR.id, tutor_of=(am21,))


async def _queued_chats(sessionmaker: SessionMaker) -> list[int]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(OutboxMessage.chat_id).order_by("chat_id"))
        return list(rows.all())


def _draft_button(telegram: RecordingRequest, chat: int, action: str) -> str:
    data = [b for b in telegram.buttons(telegram.last(chat)) if b.startswith(f"ann:{action}:")]
    assert data, "the preview has no such button"
    return data[0]


def _alerts(telegram: RecordingRequest) -> list[str]:
    return [
        str(call.params.get("text", ""))
        for call in telegram.calls
        if call.method == "answerCallbackQuery"
    ]


async def test_an_admin_previews_then_sends_to_two_groups(
    app: SchoolApplication, school: None, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    await app.process_update(
        text_update(app.bot, "/announce group:AM-21,KS-21\nNo lessons on Friday.", ADMIN)
    )
    texts = telegram.texts(ADMIN.id)
    assert "It will reach 3 people (group:AM-21,KS-21)" in texts[-2]
    assert texts[-1] == "No lessons on Friday."
    assert await _queued_chats(sessionmaker) == []  # a preview sends nothing

    send = _draft_button(telegram, ADMIN.id, "send")
    await app.process_update(callback_update(app.bot, send, ADMIN))
    assert "is queued for 3 people" in telegram.last_text(ADMIN.id)
    assert await _queued_chats(sessionmaker) == [STUDENT.id, 7302, 7401]

    await app.process_update(callback_update(app.bot, send, ADMIN))  # pressed twice
    assert "no longer available" in _alerts(telegram)[-1]
    assert await _queued_chats(sessionmaker) == [STUDENT.id, 7302, 7401]


async def test_cancel_sends_nothing(
    app: SchoolApplication, school: None, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/announce all\nFire drill at 10:00.", ADMIN))
    await app.process_update(
        callback_update(app.bot, _draft_button(telegram, ADMIN.id, "cancel"), ADMIN)
    )
    assert "Nothing was sent" in telegram.last_text(ADMIN.id)
    assert await _queued_chats(sessionmaker) == []
    async with sessionmaker() as session:
        statuses = (await session.scalars(select(Announcement.status))).all()
    assert statuses == ["cancelled"]


async def test_a_tutor_reaches_their_own_group_only(
    app: SchoolApplication, school: None, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/announce group:KS-21\nMeeting.", TUTOR))
    assert "only to their own groups" in telegram.last_text(TUTOR.id)
    await app.process_update(text_update(app.bot, "/announce all\nMeeting.", TUTOR))
    assert "only to their own groups" in telegram.last_text(TUTOR.id)

    await app.process_update(text_update(app.bot, "/announce group:AM-21\nMeeting.", TUTOR))
    await app.process_update(
        callback_update(app.bot, _draft_button(telegram, TUTOR.id, "send"), TUTOR)
    )
    assert await _queued_chats(sessionmaker) == [STUDENT.id, 7302]


async def test_someone_elses_or_a_forged_draft_is_refused(
    app: SchoolApplication, school: None, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/announce all\nSecret plan.", ADMIN))
    send = _draft_button(telegram, ADMIN.id, "send")
    for data in (send, "ann:send:999999", re.sub(r"\d+$", "0", send)):
        await app.process_update(callback_update(app.bot, data, TUTOR))
        assert "no longer available" in _alerts(telegram)[-1]
    assert await _queued_chats(sessionmaker) == []


async def test_a_student_cannot_announce(
    app: SchoolApplication, school: None, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/announce all\nParty!", STUDENT))
    assert "don't have access" in telegram.last_text(STUDENT.id)
    async with sessionmaker() as session:
        drafts = (await session.scalars(select(Announcement))).all()
    assert drafts == []


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/announce", "first line"),
        ("/announce group:AM-21", "first line"),
        ("/announce group:ZZ-9\nHello", "No group ZZ-9"),
        ("/announce course:9\nHello", "from 1 to 6"),
    ],
)
async def test_an_incomplete_or_wrong_announcement_is_explained(
    app: SchoolApplication,
    school: None,
    sessionmaker: SessionMaker,
    telegram: RecordingRequest,
    text: str,
    answer: str,
) -> None:
    await app.process_update(text_update(app.bot, text, ADMIN))
    assert answer in telegram.last_text(ADMIN.id)
    async with sessionmaker() as session:
        assert (
            await session.scalars(select(Announcement).where(col(Announcement.status) == "draft"))
        ).all() == []
