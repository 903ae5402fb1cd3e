"""/mydata, /forget and /codes through the real Application, refusals included."""

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, func, select

from bot.app import SchoolApplication
from bot.config import Settings
from bot.db import SessionMaker
from models.accounts import LinkAttempt, TelegramAccount
from models.attendance import Absence
from models.audit import AuditEntry
from models.linking import LinkOutcome, issue_code, redeem
from tests.application import POLICY
from tests.builders import add_group, add_student
from tests.fake_telegram import RecordingRequest, callback_update, make_user, text_update

STUDENT = make_user(7101, first_name="Student", language_code="en")
CLASSMATE = make_user(7102, first_name="Classmate", language_code="en")
ADMIN = make_user(7103, first_name="Admin", language_code="en")
VISITOR = make_user(7104, first_name="Visitor", language_code="en")


async def linked_pair(app: SchoolApplication, sessionmaker: SessionMaker) -> tuple[int, int]:
    """Link STUDENT and CLASSMATE to two students of AM-21, each with one absence."""
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        mine = await add_student(
            session, group=group, number="S1", first_name="Audzēknis", last_name="Pirmais"
        )
        theirs = await add_student(
            session, group=group, number="S2", first_name="Cits", last_name="Audzēknis"
        )
        for student, lesson in ((mine, 1), (theirs, 2)):
            session.add(
                Absence(
                    student_id=student.id or 0,
                    date=date(2026, 3, 2),
                    lesson_no=lesson,
                    status="unexcused",
                )
            )
        now = datetime.now(UTC)
        codes = [
            await issue_code(session, student_id=s.id, ttl_days=30, now=now, policy=POLICY)
            for s in (mine, theirs)
        ]
    await app.process_update(text_update(app.bot, codes[0], STUDENT))
    await app.process_update(text_update(app.bot, codes[1], CLASSMATE))
    assert mine.id is not None and theirs.id is not None
    return mine.id, theirs.id


def document(telegram: RecordingRequest, chat: int, index: int = -1) -> tuple[Any, bytes]:
    sent = [c for c in telegram.sent(chat) if c.method == "sendDocument"]
    assert sent, "no document was sent"
    call = sent[index]
    return call, call.files["document"]


def _leaves(data: object) -> set[object]:
    """Every number and string in a JSON document."""
    if isinstance(data, dict):
        return set().union(*map(_leaves, data.values()))
    if isinstance(data, list):
        return set().union(*map(_leaves, data))
    return {data}


async def test_mydata_sends_the_students_own_records_only(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    mine, _theirs = await linked_pair(app, sessionmaker)
    async with sessionmaker.begin() as session:
        session.add(
            AuditEntry(
                telegram_id=424242, actor="staff:1", action="absences", target=f"student:{mine}"
            )
        )

    await app.process_update(text_update(app.bot, "/mydata", STUDENT))

    call, payload = document(telegram, STUDENT.id)
    assert call.params["protect_content"] in (True, "true")
    data = json.loads(payload)
    assert data["telegram_account"]["telegram_id"] == STUDENT.id
    assert data["student"]["student_number"] == "S1" and data["group"] == "AM-21"
    assert [a["lesson_no"] for a in data["absences"]] == [1]
    assert {"marks", "placements", "link_attempts"} <= set(data)
    assert "link" in [entry["action"] for entry in data["audit_log"]]
    tutor_view = next(e for e in data["audit_log"] if e["action"] == "absences")
    assert tutor_view["actor"] == "staff:1" and tutor_view["telegram_id"] is None
    # Compared value by value: a timestamp's microseconds may well contain "7102".
    values = _leaves(data)
    assert "S1" in values and STUDENT.id in values  # the walk sees the whole document
    assert not {424242, "424242", "S2", CLASSMATE.id, str(CLASSMATE.id)} & values
    async with sessionmaker() as session:
        audited = await session.scalar(
            select(AuditEntry.target).where(col(AuditEntry.action) == "mydata")
        )
    assert audited == f"student:{mine}"


async def test_mydata_of_a_visitor_holds_only_telegram_data(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/mydata", VISITOR))
    data = json.loads(document(telegram, VISITOR.id)[1])
    assert data["telegram_account"]["first_name"] == "Visitor"
    assert "student" not in data and "staff" not in data


async def test_forget_asks_first_and_no_keeps_everything(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await linked_pair(app, sessionmaker)
    await app.process_update(text_update(app.bot, "/forget", STUDENT))
    assert telegram.buttons(telegram.last(STUDENT.id)) == ["forget:yes", "forget:no"]

    await app.process_update(callback_update(app.bot, "forget:no", STUDENT))

    assert telegram.last_text(STUDENT.id) == "Nothing was deleted."
    async with sessionmaker() as session:
        account = await session.scalar(
            select(TelegramAccount).where(col(TelegramAccount.telegram_id) == STUDENT.id)
        )
    assert account is not None and account.student_id is not None


async def test_forget_yes_deletes_the_account_and_keeps_recent_attempts(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    mine, _theirs = await linked_pair(app, sessionmaker)
    await app.process_update(text_update(app.bot, "/forget", STUDENT))

    await app.process_update(callback_update(app.bot, "forget:yes", STUDENT))

    assert "unlinked" in telegram.texts(STUDENT.id)[-2]
    async with sessionmaker() as session:
        accounts = await session.scalar(
            select(func.count()).where(col(TelegramAccount.telegram_id) == STUDENT.id)
        )
        attempts = await session.scalar(
            select(func.count()).where(col(LinkAttempt.telegram_id) == STUDENT.id)
        )
        other = await session.scalar(
            select(func.count()).where(col(TelegramAccount.telegram_id) == CLASSMATE.id)
        )
        forget = await session.scalar(select(AuditEntry).where(col(AuditEntry.action) == "forget"))
    assert (accounts, attempts, other) == (0, 1, 1)  # the lockout still counts the attempt
    assert forget is not None and forget.actor == f"telegram:{STUDENT.id}"
    assert f"student:{mine}" not in f"{forget.target} {forget.detail}"
    await app.process_update(text_update(app.bot, "/help", STUDENT))
    assert app.user_data[STUDENT.id].viewer.role == "visitor"


async def test_forged_forget_callbacks_are_answered_and_change_nothing(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await linked_pair(app, sessionmaker)
    for data in ["forget:maybe", "forget:yes;DROP TABLE student", "forget:", "forget:yes:7102"]:
        await app.process_update(callback_update(app.bot, data, STUDENT))
    answers = [c for c in telegram.calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 4 and all("out of date" in a.params["text"] for a in answers)
    async with sessionmaker() as session:
        accounts = await session.scalar(select(func.count()).select_from(TelegramAccount))
    assert accounts == 2


async def test_codes_is_refused_to_a_student_and_audited(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await linked_pair(app, sessionmaker)
    await app.process_update(text_update(app.bot, "/codes AM-21", STUDENT))
    assert "Only the school's administrators" in telegram.last_text(STUDENT.id)
    assert not [c for c in telegram.sent(STUDENT.id) if c.method == "sendDocument"]
    async with sessionmaker() as session:
        refused = await session.scalar(
            select(AuditEntry.target).where(col(AuditEntry.action) == "refused")
        )
    assert refused == "codes"


async def test_codes_sends_an_admin_the_sheets_whose_codes_work(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        for n in range(3):
            await add_student(
                session, group=group, number=f"S{n}", last_name=f"Nr{n}", first_name="Audzēknis"
            )
        session.add(TelegramAccount(telegram_id=ADMIN.id, is_admin=True))

    await app.process_update(text_update(app.bot, "/codes am21", ADMIN))

    pdf_call, pdf = document(telegram, ADMIN.id, 0)
    csv_call, sheet = document(telegram, ADMIN.id, 1)
    assert pdf.startswith(b"%PDF") and pdf_call.params["protect_content"] in (True, "true")
    assert csv_call.params["protect_content"] in (True, "true")
    assert "Link codes for AM-21: 3." in pdf_call.params["caption"]
    rows = list(csv.DictReader(io.StringIO(sheet.decode("utf-8-sig"))))
    assert [row["number"] for row in rows] == ["S0", "S1", "S2"]
    assert all(
        row["link"] == f"https://t.me/school_bot?start={row['code'].replace('-', '')}"
        for row in rows
    )
    async with sessionmaker.begin() as session:
        result = await redeem(
            session,
            telegram_id=1,
            text=rows[1]["code"],
            now=datetime.now(UTC),
            policy=settings.link_policy,
        )
    assert result.outcome is LinkOutcome.LINKED and result.name == "Audzēknis Nr1"


async def test_codes_for_an_unknown_group_says_so(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    async with sessionmaker.begin() as session:
        session.add(TelegramAccount(telegram_id=ADMIN.id, is_admin=True))
    await app.process_update(text_update(app.bot, "/codes <b>XX-99", ADMIN))
    assert "There is no group &lt;b&gt;XX-99." in telegram.last_text(ADMIN.id)
