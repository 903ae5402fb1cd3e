"""/guardian: a tutor adds a guardian to their own group's student and gets the code card."""

import re

from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.audit import AuditEntry
from models.guardians import Guardianship
from tests.fake_telegram import RecordingRequest, make_user, text_update
from tests.records_data import STUDENT, TUTOR, Records

NEW_PARENT = make_user(8701, first_name="Mother", language_code="en")


async def _guardianships(sessionmaker: SessionMaker) -> list[tuple[int, str, str]]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(Guardianship))
        return [(g.student_id, g.name, g.added_by) for g in rows]


async def test_a_tutor_adds_a_guardian_whose_code_then_links(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/guardian S1 Marta Kalniņa", TUTOR))

    card = telegram.last(TUTOR.id)
    assert card.method == "sendDocument" and card.files["document"].startswith(b"%PDF")
    assert card.params["protect_content"] in (True, "true")
    caption = card.params["caption"]
    assert "Marta Kalniņa is a guardian of Anna Kalniņa now" in caption
    (staff_actor,) = {added_by for _, _, added_by in await _guardianships(sessionmaker)}
    assert staff_actor.startswith("staff:")
    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}", caption)
    assert code is not None

    await app.process_update(text_update(app.bot, code.group(0), NEW_PARENT))

    assert "guardian of Anna Kalniņa (AM-21)" in telegram.last_text(NEW_PARENT.id)


async def test_a_tutor_cannot_add_a_guardian_to_another_groups_student(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/guardian S3 Someone Else", TUTOR))
    await app.process_update(text_update(app.bot, "/guardian S404 Someone Else", TUTOR))

    texts = telegram.texts(TUTOR.id)
    assert texts == [
        "There is no active student S3 in your groups.",
        "There is no active student S404 in your groups.",
    ]
    assert await _guardianships(sessionmaker) == []
    async with sessionmaker() as session:
        refused = await session.scalars(
            select(AuditEntry.target).where(col(AuditEntry.action) == "refused")
        )
        assert list(refused) == ["guardian:add:S3", "guardian:add:S404"]


async def test_a_student_cannot_add_guardians(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker, records: Records
) -> None:
    await app.process_update(text_update(app.bot, "/guardian S1 Fake Parent", STUDENT))

    assert telegram.last_text(STUDENT.id) == "Only a group's tutor can add its guardians."
    assert await _guardianships(sessionmaker) == []
