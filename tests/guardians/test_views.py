"""A guardian sees their student's own read-only view, audited, and nothing of anyone else."""

from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.accounts import TelegramAccount
from models.audit import AuditEntry
from tests.fake_telegram import RecordingRequest, callback_update, text_update
from tests.guardians.conftest import PARENT, Family
from tests.records_data import STUDENT, Records

NOT_SHARED = "The records of Olga Ivanova are not shared with you."


async def _send(app: SchoolApplication, text: str) -> None:
    await app.process_update(text_update(app.bot, text, PARENT))


async def _press(app: SchoolApplication, data: str) -> None:
    await app.process_update(callback_update(app.bot, data, PARENT))


async def _audit(sessionmaker: SessionMaker, action: str) -> list[tuple[str, str]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(col(AuditEntry.actor), col(AuditEntry.target))
            .where(col(AuditEntry.action) == action)
            .order_by(col(AuditEntry.id))
        )
    return [(actor, target) for actor, target in rows.all()]


async def test_a_guardian_of_a_minor_sees_their_records_and_each_view_is_audited(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, family: Family
) -> None:
    for command in ("/absences", "/marks", "/practice", "/week", "/calendar"):
        await _send(app, command)

    texts = telegram.texts(PARENT.id)
    assert "Absences of Anna Kalniņa" in texts[0]
    assert "Marks of Anna Kalniņa" in texts[1]
    assert "Auto Welle" in texts[2]
    assert "Matemātika" in texts[3]
    assert telegram.last(PARENT.id).method == "sendDocument"  # the .ics of Anna's group
    sent = telegram.sent(PARENT.id)
    assert all(call.params["protect_content"] in (True, "true") for call in sent)
    await app.bot_data.view_log.flush()
    actor, whose = f"guardianship:{family.minor_guardianship}", f"student:{family.minor}"
    for action in ("view:absences", "view:marks", "view:timetable", "view:calendar"):
        assert await _audit(sessionmaker, action) == [(actor, whose)]


async def test_a_guardian_of_an_adult_sees_nothing_without_consent(
    app: SchoolApplication, telegram: RecordingRequest, family: Family
) -> None:
    await _press(app, f"gd:w:{family.adult}")

    for command in ("/absences", "/marks", "/practice", "/today"):
        telegram.clear()
        await _send(app, command)
        (text,) = telegram.texts(PARENT.id)
        assert text.startswith(NOT_SHARED), command


async def test_a_guardian_of_two_students_switches_and_the_choice_is_remembered(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, family: Family
) -> None:
    await _send(app, "/students")
    listed = telegram.last(PARENT.id)
    rows = listed.params["reply_markup"]["inline_keyboard"]
    assert [button["text"] for (button,) in rows] == [
        "✅ Anna Kalniņa (AM-21)",
        "Olga Ivanova (KS-21) 🔒",
    ]
    assert telegram.buttons(listed) == [f"gd:w:{family.minor}", f"gd:w:{family.adult}"]

    await _press(app, f"gd:w:{family.adult}")
    await _press(app, f"gd:w:{family.minor}")

    async with sessionmaker() as session:
        chosen = await session.scalar(
            select(TelegramAccount.ward_id).where(col(TelegramAccount.telegram_id) == PARENT.id)
        )
    assert chosen == family.minor
    await _send(app, "/absences")
    assert "Absences of Anna Kalniņa" in telegram.last_text(PARENT.id)


async def test_a_guardian_asking_for_another_students_records_is_refused_and_audited(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    family: Family,
    records: Records,
) -> None:
    await _press(app, f"ab:s:{family.stranger}:{records.month}")
    await _press(app, f"gd:w:{family.stranger}")
    await _send(app, "/absences AM-21")
    await _send(app, "/marks KS-21")

    shown = "\n".join(telegram.texts(PARENT.id))
    assert "Liepa" not in shown and "Absences of" not in shown and "Marks in" not in shown
    refused = [target for _, target in await _audit(sessionmaker, "refused")]
    assert refused == [
        f"student:{family.stranger}",
        f"student:{family.stranger}",
        "records of AM-21",
        "records of KS-21",
    ]


async def test_a_students_switch_button_is_for_guardians_only(
    app: SchoolApplication, telegram: RecordingRequest, family: Family
) -> None:
    await _send(app, "/students")
    assert "Anna" in telegram.last_text(PARENT.id)

    telegram.clear()
    await app.process_update(text_update(app.bot, "/students", STUDENT))
    assert "This is for guardians" in telegram.last_text(STUDENT.id)
