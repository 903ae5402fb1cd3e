"""Guardian codes: a guardian's own account links; students' and staff accounts are refused."""

import csv
import io
from datetime import UTC, datetime

from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from bot.documents.link_sheets import sheet_csv
from models.accounts import LinkCode, TelegramAccount
from models.audit import AuditEntry
from models.guardian_codes import issue_guardian_codes
from models.guardians import Guardianship
from models.linking import get_group_by_code, issue_code
from tests.application import POLICY
from tests.builders import add_group, add_guardian, add_staff, add_student
from tests.fake_telegram import RecordingRequest, make_user, text_update

PARENT = make_user(7601, first_name="Olga", language_code="en")
STUDENT = make_user(7602, first_name="Artjoms", language_code="en")
NEWCOMER = make_user(7603, first_name="New", language_code="en")
ADMIN = make_user(7604, first_name="Admin", language_code="en")


async def _school(sessionmaker: SessionMaker, *, status: str = "active") -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="DT-31")
        artjoms = await add_student(
            session, group=group, number="S1", first_name="Artjoms", last_name="Petrovs"
        )
        await add_guardian(session, student=artjoms, name="Olga Petrova", status=status)
        await add_student(session, group=group, number="S2", telegram_id=STUDENT.id)


async def _guardian_code(sessionmaker: SessionMaker) -> str:
    async with sessionmaker.begin() as session:
        group = await get_group_by_code(session, code="DT-31")
        codes = await issue_guardian_codes(
            session, group=group, ttl_days=30, now=datetime.now(UTC), policy=POLICY
        )
    assert len(codes) == 1
    return codes[0].code


async def _send(app: SchoolApplication, text: str, user: object) -> None:
    await app.process_update(text_update(app.bot, text, user))  # type: ignore[arg-type]


async def _linked_telegram(sessionmaker: SessionMaker) -> int | None:
    async with sessionmaker() as session:
        return await session.scalar(select(Guardianship.telegram_id))


async def test_a_guardian_code_links_the_guardians_own_account(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await _school(sessionmaker)
    code = await _guardian_code(sessionmaker)

    await _send(app, f"/start {code}", PARENT)

    text = telegram.last_text(PARENT.id)
    assert "Welcome, Olga Petrova!" in text
    assert "guardian of Artjoms Petrovs (DT-31)" in text
    assert await _linked_telegram(sessionmaker) == PARENT.id


async def test_a_guardian_code_cannot_link_a_student_account_and_stays_unused(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await _school(sessionmaker)
    code = await _guardian_code(sessionmaker)

    await _send(app, code, STUDENT)

    assert "This is a guardian's code" in telegram.last_text(STUDENT.id)
    assert await _linked_telegram(sessionmaker) is None
    async with sessionmaker() as session:
        used = select(LinkCode.used_at).where(col(LinkCode.guardianship_id).is_not(None))
        assert await session.scalar(used) is None
        refusal = await session.scalar(
            select(AuditEntry.detail).where(col(AuditEntry.action) == "link:refused")
        )
    assert refusal == "a person's account"
    await _send(app, code, PARENT)
    assert await _linked_telegram(sessionmaker) == PARENT.id


async def test_a_guardian_code_works_once(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await _school(sessionmaker)
    code = await _guardian_code(sessionmaker)
    await _send(app, code, PARENT)

    await _send(app, code, NEWCOMER)

    assert "already been used" in telegram.last_text(NEWCOMER.id)
    assert await _linked_telegram(sessionmaker) == PARENT.id


async def test_a_guardians_account_cannot_take_a_students_code(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await _school(sessionmaker)
    await _send(app, await _guardian_code(sessionmaker), PARENT)
    async with sessionmaker.begin() as session:
        student_id = await session.scalar(
            select(TelegramAccount.student_id).where(col(TelegramAccount.telegram_id) == STUDENT.id)
        )
        assert student_id is not None
        code = await issue_code(
            session, student_id=student_id, ttl_days=30, now=datetime.now(UTC), policy=POLICY
        )

    await _send(app, code, PARENT)

    assert "linked as a guardian" in telegram.last_text(PARENT.id)
    async with sessionmaker() as session:
        account = await session.scalar(
            select(TelegramAccount).where(col(TelegramAccount.telegram_id) == PARENT.id)
        )
    assert account is not None and account.student_id is None


async def test_no_code_for_an_ended_guardianship(sessionmaker: SessionMaker) -> None:
    await _school(sessionmaker, status="ended")

    async with sessionmaker.begin() as session:
        group = await get_group_by_code(session, code="DT-31")
        codes = await issue_guardian_codes(
            session, group=group, ttl_days=30, now=datetime.now(UTC), policy=POLICY
        )

    assert codes == []


async def test_the_sheet_says_for_whom(sessionmaker: SessionMaker) -> None:
    await _school(sessionmaker)
    async with sessionmaker.begin() as session:
        codes = await issue_guardian_codes(
            session, student_number="S1", ttl_days=30, now=datetime.now(UTC), policy=POLICY
        )

    rows = list(csv.DictReader(io.StringIO(sheet_csv(codes, "school_bot").decode("utf-8-sig"))))

    assert [(r["name"], r["student"], r["group"]) for r in rows] == [
        ("Olga Petrova", "Artjoms Petrovs", "DT-31")
    ]


async def test_an_admin_gets_a_groups_guardian_sheet_in_the_bot(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await _school(sessionmaker)
    async with sessionmaker.begin() as session:
        await add_staff(session, code="A1", roles=("admin",), telegram_id=ADMIN.id)

    await _send(app, "/codes DT-31 vecāki", ADMIN)

    pdf, table = [call for call in telegram.sent(ADMIN.id) if call.method == "sendDocument"]
    assert "Link codes for DT-31: 1." in pdf.params["caption"]
    rows = list(csv.DictReader(io.StringIO(table.files["document"].decode("utf-8-sig"))))
    assert [(r["name"], r["student"]) for r in rows] == [("Olga Petrova", "Artjoms Petrovs")]
    await _send(app, rows[0]["code"], PARENT)
    assert await _linked_telegram(sessionmaker) == PARENT.id
