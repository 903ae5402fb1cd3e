"""A guardian's view ends with the guardianship, the account, and outside the private chat."""

import json

from sqlmodel import select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.guardians import Guardianship
from models.importing import import_bytes
from tests.fake_telegram import RecordingRequest, callback_update, text_update
from tests.guardians.conftest import PARENT, Family
from tests.importing.files import csv_bytes
from tests.importing.settings import NOW, limits
from tests.security.group_updates import GROUP, NOTICE, chat_message

LINK_FIRST = "Absences are personal: link your account first"


async def _send(app: SchoolApplication, text: str) -> None:
    await app.process_update(text_update(app.bot, text, PARENT))


async def test_nothing_after_a_reimport_ends_the_guardianship(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, family: Family
) -> None:
    rows = [["student_number", "guardian_name", "status"], ["S1", "PARENT", "beidzies"]]
    report = await import_bytes(
        sessionmaker, csv_bytes(rows), "guardians.csv", limits=limits(), now=NOW
    )
    assert report.ok and report.updated == 1, report.render(gettext_for("en"))

    await _send(app, "/absences")

    text = telegram.last_text(PARENT.id)
    assert "Kalniņa" not in text
    assert text.startswith("The records of Olga Ivanova are not shared")  # the other one is left


async def test_nothing_after_forget_and_the_school_keeps_the_guardianship(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, family: Family
) -> None:
    await _send(app, "/forget")
    await app.process_update(callback_update(app.bot, "forget:yes", PARENT))

    await _send(app, "/absences")

    assert telegram.last_text(PARENT.id).startswith(LINK_FIRST)
    async with sessionmaker() as session:
        linked = list(await session.scalars(select(Guardianship.telegram_id)))
    assert linked == [None, None]


async def test_nothing_personal_in_a_group_chat(
    app: SchoolApplication, telegram: RecordingRequest, family: Family
) -> None:
    for command in ("/absences", "/marks", "/today", "/students"):
        telegram.clear()
        await app.process_update(chat_message(app.bot, command, PARENT, GROUP))
        (text,) = telegram.texts(GROUP.id)
        assert text == NOTICE, command
    assert telegram.texts(PARENT.id) == []


async def test_mydata_exports_the_guardians_own_rows(
    app: SchoolApplication, telegram: RecordingRequest, family: Family
) -> None:
    await _send(app, "/absences")
    await app.bot_data.view_log.flush()

    await _send(app, "/mydata")

    call = telegram.last(PARENT.id)
    assert call.method == "sendDocument"
    data = json.loads(call.files["document"])
    assert [row["student_id"] for row in data["guardianships"]] == [family.minor, family.adult]
    assert any(entry["action"] == "view:absences" for entry in data["audit_log"])
