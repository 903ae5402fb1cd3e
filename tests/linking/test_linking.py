"""Linking through the real Application: deep links, typed codes, refusals, lockout, moves."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, func, select

from bot.app import SchoolApplication
from bot.chat.commands import available
from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.accounts import LinkAttempt, LinkCode, TelegramAccount
from models.audit import AuditEntry
from models.linking import issue_code
from models.school import StaffRole
from tests.application import POLICY
from tests.builders import add_group, add_staff, add_student
from tests.fake_telegram import RecordingRequest, make_user, text_update

STUDENT = make_user(7001, first_name="Student", language_code="en")
OTHER = make_user(7002, first_name="Other", language_code="en")
LATVIAN = make_user(7003, first_name="Lietotājs", language_code="lv")


async def student_code(
    sessionmaker: SessionMaker, *, bot_access: bool = True, age: timedelta = timedelta()
) -> str:
    """Add a group with one student and return a code for them, issued `age` ago."""
    async with sessionmaker.begin() as session:
        group = await add_group(
            session, code="AM-21", bot_access=bot_access, is_prison=not bot_access
        )
        student = await add_student(
            session, group=group, number="S1", first_name="Audzēknis", last_name="Pirmais"
        )
        return await issue_code(
            session, student_id=student.id, ttl_days=30, now=datetime.now(UTC) - age, policy=POLICY
        )


async def linked_student_id(sessionmaker: SessionMaker, telegram_id: int) -> int | None:
    async with sessionmaker() as session:
        return await session.scalar(
            select(TelegramAccount.student_id).where(
                col(TelegramAccount.telegram_id) == telegram_id
            )
        )


async def send(app: SchoolApplication, text: str, user: object = STUDENT) -> None:
    await app.process_update(text_update(app.bot, text, user))  # type: ignore[arg-type]


async def test_deep_link_links_a_student_and_shows_their_menu(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    code = await student_code(sessionmaker)

    await send(app, f"/start {code.replace('-', '')}")

    reply = telegram.last(STUDENT.id)
    assert "Welcome, Audzēknis Pirmais!" in reply.params["text"]
    assert "student of AM-21" in reply.params["text"]
    assert reply.params["protect_content"] in (True, "true")
    expected = [
        gettext_for("en")(c.menu_label)
        for c in available("student", app.bot_data.registered)
        if c.menu_label
    ]
    assert telegram.buttons(reply) == expected
    assert await linked_student_id(sessionmaker, STUDENT.id) is not None
    assert app.user_data[STUDENT.id].viewer.role == "student"


@pytest.mark.parametrize(
    "form", ["{code}", "{plain}", "{lower}", "{lower_dash}", "/start {code}", "  {code}  "]
)
async def test_typed_code_is_accepted_in_any_form(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, form: str
) -> None:
    code = await student_code(sessionmaker)
    plain = code.replace("-", "")
    text = form.format(code=code, plain=plain, lower=plain.lower(), lower_dash=code.lower())

    await send(app, text)

    assert "Welcome" in telegram.last_text(STUDENT.id)
    assert await linked_student_id(sessionmaker, STUDENT.id) is not None


async def test_welcome_is_in_the_users_language(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    code = await student_code(sessionmaker)
    await send(app, code, LATVIAN)
    assert "Laipni lūdzam, Audzēknis Pirmais!" in telegram.last_text(LATVIAN.id)


async def test_staff_code_gives_the_staff_records_roles(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        staff = await add_staff(
            session,
            code="T1",
            roles=(StaffRole.TEACHER, StaffRole.TUTOR),
            tutor_of=(group,),
            first_name="Skolotājs",
            last_name="Otrais",
        )
        code = await issue_code(
            session, staff_id=staff.id, ttl_days=30, now=datetime.now(UTC), policy=POLICY
        )

    await send(app, code)

    reply = telegram.last(STUDENT.id)
    assert (
        "Welcome, Skolotājs Otrais! Your account is now linked to your staff record."
        in (reply.params["text"])
    )
    viewer = app.user_data[STUDENT.id].viewer
    assert viewer.role == "tutor" and viewer.tutor_group_ids == {group.id}
    assert viewer.staff_id == staff.id and StaffRole.TEACHER in viewer.roles
    tutor_labels = [
        gettext_for("en")(c.menu_label)
        for c in available("tutor", app.bot_data.registered)
        if c.menu_label
    ]
    assert telegram.buttons(reply) == tutor_labels
    await send(app, "/help")
    assert "/settings" in telegram.last_text(STUDENT.id)
    assert "/codes" not in telegram.last_text(STUDENT.id)


async def test_wrong_code_is_refused(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await student_code(sessionmaker)
    await send(app, "ZZZZ-2345")
    assert "This code is not right" in telegram.last_text(STUDENT.id)
    assert await linked_student_id(sessionmaker, STUDENT.id) is None


async def test_expired_code_is_refused(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    code = await student_code(sessionmaker, age=timedelta(days=31))
    await send(app, code)
    assert "This code has expired" in telegram.last_text(STUDENT.id)
    assert await linked_student_id(sessionmaker, STUDENT.id) is None


async def test_used_code_is_refused_to_another_account(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    code = await student_code(sessionmaker)
    await send(app, code)
    await send(app, code, OTHER)
    assert "already been used" in telegram.last_text(OTHER.id)
    assert await linked_student_id(sessionmaker, OTHER.id) is None
    assert await linked_student_id(sessionmaker, STUDENT.id) is not None


@pytest.mark.parametrize("text", ["AAAA-BBBB", "ABCD-EFGH", "2345-6789", "k7qm4xpa"])
async def test_text_shaped_like_a_code_gets_the_code_answer_not_a_search(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, text: str
) -> None:
    await student_code(sessionmaker)
    await send(app, text)
    assert "This code is not right" in telegram.last_text(STUDENT.id)


async def test_random_start_payload_is_a_wrong_code(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await send(app, "/start <script>alert(1)</script>")
    assert "This code is not right" in telegram.last_text(STUDENT.id)


async def test_burst_of_guesses_locks_the_account_out(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    code = await student_code(sessionmaker)
    for guess in ["ZZZZ-2222", "ZZZZ-2223", "ZZZZ-2224", "ZZZZ-2225", "ZZZZ-2226", "ZZZZ-2227"]:
        await send(app, guess)
    replies = telegram.texts(STUDENT.id)
    assert all("not right" in text for text in replies[:4])
    assert all("linking is locked until" in text for text in replies[4:])

    await send(app, code)

    assert re.search(r"linking is locked until \d\d:\d\d\.", telegram.last_text(STUDENT.id))
    assert await linked_student_id(sessionmaker, STUDENT.id) is None
    async with sessionmaker() as session:
        unused = await session.scalar(select(LinkCode.used_at))
        lockouts = await session.scalar(
            select(func.count()).where(col(AuditEntry.action) == "link:lockout")
        )
    assert unused is None and lockouts == 1


async def test_lockout_is_per_telegram_account(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    code = await student_code(sessionmaker)
    for n in range(5):
        await send(app, f"ZZZZ-222{n + 2}")
    await send(app, code, OTHER)
    assert "Welcome" in telegram.last_text(OTHER.id)


async def test_group_without_bot_access_is_refused_and_code_kept(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    code = await student_code(sessionmaker, bot_access=False)
    await send(app, code)
    assert "your group (AM-21) does not use this bot" in telegram.last_text(STUDENT.id)
    async with sessionmaker() as session:
        row = await session.scalar(select(LinkCode))
        refusals = list(
            await session.scalars(
                select(AuditEntry.action).where(col(AuditEntry.action) == "link:refused")
            )
        )
        attempts = await session.scalar(select(func.count()).select_from(LinkAttempt))
    assert row is not None and row.used_at is None
    assert refusals == ["link:refused"] and attempts == 0
    assert await linked_student_id(sessionmaker, STUDENT.id) is None


async def test_linking_again_moves_the_link_and_tells_the_old_account(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    first = await student_code(sessionmaker)
    await send(app, first)
    async with sessionmaker.begin() as session:
        student_id = await linked_student_id(sessionmaker, STUDENT.id)
        second = await issue_code(
            session, student_id=student_id, ttl_days=30, now=datetime.now(UTC), policy=POLICY
        )

    await send(app, second, OTHER)

    assert "Welcome, Audzēknis Pirmais!" in telegram.last_text(OTHER.id)
    # The old account never saved a language, so it is told in the default one (Latvian).
    assert "vairs nav piesaistīts" in telegram.last_text(STUDENT.id)
    assert await linked_student_id(sessionmaker, STUDENT.id) is None
    assert await linked_student_id(sessionmaker, OTHER.id) == student_id
    await send(app, "/help")
    assert app.user_data[STUDENT.id].viewer.role == "visitor"
    async with sessionmaker() as session:
        moved = await session.scalar(
            select(AuditEntry.detail).where(col(AuditEntry.action) == "link:moved")
        )
    assert moved == f"from telegram:{STUDENT.id}"


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "🙂🙂🙂🙂🙂🙂🙂🙂",
        "שלום עולם",
        "<b>K7QM</b>-4XPA",
        "'; DROP TABLE link_code;--",
        "AM-21",
        "rīt",
        "absences",
        "Kristaps",  # eight letters are a name, not a code
    ],
)
async def test_other_messages_are_not_taken_as_codes(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, text: str
) -> None:
    await student_code(sessionmaker)
    await send(app, text)
    assert telegram.last_text(STUDENT.id)
    assert "code is not right" not in telegram.last_text(STUDENT.id)
    async with sessionmaker() as session:
        attempts = await session.scalar(select(func.count()).select_from(LinkAttempt))
    assert attempts == 0


async def test_start_without_a_code_still_greets(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await send(app, "/start")
    assert "Hello, Student!" in telegram.last_text(STUDENT.id)
