"""Access follows the school's imports at once: a tutor moved off a group loses it."""

import datetime as dt

from bot.app import SchoolApplication
from bot.config import Settings
from bot.db import SessionMaker
from bot.i18n import gettext_for
from models.importing import import_bytes
from tests.fake_telegram import RecordingRequest, text_update
from tests.importing.files import csv_bytes
from tests.personal_records.test_records import REFUSED
from tests.records_data import TUTOR, Records


async def test_a_tutor_moved_off_a_group_by_an_import_no_longer_sees_it(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
    records: Records,
) -> None:
    await app.process_update(text_update(app.bot, "/absences", TUTOR))
    assert "Absences in AM-21" in telegram.last_text(TUTOR.id)
    groups = csv_bytes([["code", "tutors"], ["AM-21", "A1"]])
    report = await import_bytes(
        sessionmaker,
        groups,
        "grupas.csv",
        kind="groups",
        limits=settings.import_limits,
        now=dt.datetime.now(dt.UTC),
    )
    assert report.ok, report.render(gettext_for("en"))
    await app.process_update(text_update(app.bot, "/absences AM-21", TUTOR))
    assert telegram.last_text(TUTOR.id) == REFUSED
    await app.process_update(text_update(app.bot, "/absences", TUTOR))
    assert "AM-21" not in telegram.last_text(TUTOR.id)
