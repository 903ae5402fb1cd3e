"""Frozen digests: figures fixed at the claim, files made when sent, each copy sent once."""

import asyncio
import datetime as dt
import io
import json
import zlib

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import col, select
from typer.testing import CliRunner

from bot.app import SchoolApplication
from bot.cli.main import app as cli
from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.documents.digest_render import render_group
from jobs.digest_job import queue_digests
from models.accounts import TelegramAccount
from models.attendance import Absence
from models.digest_runs import DigestFigures, DigestRun
from models.outbox import OutboxMessage, Status
from models.school import GroupTutor, Staff, StudyGroup
from tests.fake_telegram import RecordingRequest, text_update
from tests.month_digest.delivery import deliver
from tests.records_data import ADMIN, TUTOR, Records


async def _rows(sessionmaker: SessionMaker) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(OutboxMessage))).all())


async def _tutor_also_of_ks21(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        tutor = await session.scalar(select(Staff).where(Staff.code == "T1"))
        other = await session.scalar(select(StudyGroup).where(StudyGroup.code == "KS-21"))
        assert tutor is not None and tutor.id and other is not None and other.id
        session.add(GroupTutor(group_id=other.id, staff_id=tutor.id))


async def test_later_imports_do_not_change_a_claimed_month_and_digest_shows_what_was_sent(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
    records: Records,
) -> None:
    await app.process_update(text_update(app.bot, "/help", TUTOR))  # Telegram says: English
    await queue_digests(sessionmaker, settings, records.month)
    async with sessionmaker.begin() as session:  # an import after the claim excuses everything
        await session.execute(
            update(Absence).where(col(Absence.status) == "unexcused").values(status="excused")
        )
    telegram.clear()
    await deliver(app.bot, sessionmaker)
    [sent] = [c.params["text"] for c in telegram.sent(TUTOR.id) if c.method == "sendMessage"]
    assert "unexcused 3" in sent  # as claimed, not as imported since
    telegram.clear()
    await app.process_update(text_update(app.bot, f"/digest AM-21 {records.month}", TUTOR))
    [shown] = [c.params["text"] for c in telegram.sent(TUTOR.id) if c.method == "sendMessage"]
    assert shown == sent


async def test_a_tutor_whose_telegram_speaks_english_gets_the_digest_in_english(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
    records: Records,
) -> None:
    await app.process_update(text_update(app.bot, "/help", TUTOR))  # language_code "en"
    async with sessionmaker() as session:
        account = await session.scalar(
            select(TelegramAccount).where(TelegramAccount.telegram_id == TUTOR.id)
        )
    assert account is not None and account.language is None  # never chose one
    await queue_digests(sessionmaker, settings, records.month)
    telegram.clear()
    await deliver(app.bot, sessionmaker)
    text, table, chart = telegram.sent(TUTOR.id)
    assert "Lessons missed: 6" in text.params["text"]
    assert "Every student, mark and flag is in the table below." in text.params["text"]
    sheet = load_workbook(io.BytesIO(table.files["document"])).active
    assert sheet is not None and sheet["A1"].value == "Student"
    assert chart.method == "sendPhoto" and chart.files["photo"].startswith(b"\x89PNG")
    assert "Pa ēkām" in telegram.last_text(ADMIN.id)  # the admin never wrote: the default


async def test_a_render_failure_fails_that_row_and_the_rest_go_out(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
    records: Records,
) -> None:
    await _tutor_also_of_ks21(sessionmaker)
    await queue_digests(sessionmaker, settings, records.month)
    async with sessionmaker.begin() as session:  # a record no renderer knows
        await session.execute(
            update(DigestFigures)
            .where(col(DigestFigures.group_code) == "KS-21")
            .values(body=zlib.compress(b'{"v":99}'))
        )
    await deliver(app.bot, sessionmaker)
    rows = await _rows(sessionmaker)
    failed = [r for r in rows if r.status == Status.FAILED]
    assert {r.dedupe_key.rsplit(":", 1)[1] for r in failed} == {"text", "xlsx", "png"}
    assert all("KS-21" in r.filename or not r.filename for r in failed)
    assert all("unknown digest record format 99" in r.error for r in failed)
    assert sum(1 for r in rows if r.status == Status.SENT) == len(rows) - 3
    assert len(telegram.sent(TUTOR.id)) == 3 and telegram.sent(ADMIN.id)


FORMAT_1 = json.dumps(
    {
        "version": 1, "limit": 2, "language": "lv", "group_id": 7, "code": "AM-21",
        "month": "2026-10", "course": 2, "building": "B1", "programme": "AM",
        "weeks": [40, 41], "subjects": ["Matemātika"],
        "previous": {"excused": 1, "unexcused": 2, "pending": 0},
        "students": [
            {"name": "Kalniņa Anna", "weeks": {"40": {"excused": 0, "unexcused": 3, "pending": 1}},
             "averages": {"Matemātika": 3.5}, "attestations": {"Matemātika": "4"},
             "failing": ["Matemātika"], "missing": [], "on_practice": False},
            {"name": "Liepa Jānis", "weeks": {}, "averages": {}, "attestations": {},
             "failing": [], "missing": ["Matemātika"], "on_practice": True},
        ],
    }
)  # fmt: skip  # one student a line reads like the record it stands for


def test_a_record_of_the_previous_format_still_renders() -> None:
    files = render_group(FORMAT_1, "en")
    assert "Lessons missed: 4 (last month 3); unexcused 3 (last month 2)" in files.text
    assert "• Kalniņa Anna — ⚠️ unexcused 3, failing subjects 1" in files.text
    sheet = load_workbook(io.BytesIO(files.table)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:7] == ("Kalniņa Anna", 4, 0, 0, 3, 1, 4)
    assert rows[1][7:9] == (3.5, 4) and "over the limit" in str(rows[1][-1])
    assert "on practice" in str(rows[2][-1])
    assert files.chart.startswith(b"\x89PNG")


async def test_two_processes_claim_the_month_once_and_send_each_copy_once(
    app: SchoolApplication,
    telegram: RecordingRequest,
    database_url: str,
    sessionmaker: SessionMaker,
    settings: Settings,
    records: Records,
) -> None:
    engines = [create_engine(database_url) for _ in range(2)]
    makers = [make_sessionmaker(engine) for engine in engines]
    try:
        results = await asyncio.gather(
            *(queue_digests(maker, settings, records.month) for maker in makers)
        )
        await asyncio.gather(*(deliver(app.bot, maker) for maker in makers))
    finally:
        for engine in engines:
            await engine.dispose()
    rows = await _rows(sessionmaker)
    assert sorted(queued for queued, _unlinked in results) == [0, len(rows)]
    sends = [c for c in telegram.calls if c.method.startswith("send")]
    assert len(sends) == len(rows) and all(r.status == Status.SENT for r in rows)
    async with sessionmaker() as session:
        figures = (await session.scalars(select(DigestFigures))).all()
    assert sorted(f.group_code for f in figures) == ["", "AM-21", "KS-21"]


async def test_a_run_that_died_after_its_claim_is_taken_over_once_stale(
    sessionmaker: SessionMaker, settings: Settings, records: Records
) -> None:
    now = dt.datetime.now(dt.UTC)
    async with sessionmaker.begin() as session:  # claimed, then the process died
        session.add(DigestRun(month=str(records.month), started_at=now - dt.timedelta(minutes=5)))
    fresh, _ = await queue_digests(sessionmaker, settings, records.month, now=now)
    assert fresh == 0 and await _rows(sessionmaker) == []  # it may still be working
    later = now + dt.timedelta(hours=1)
    taken, _ = await queue_digests(sessionmaker, settings, records.month, now=later)
    again, _ = await queue_digests(sessionmaker, settings, records.month, now=later)
    assert taken == len(await _rows(sessionmaker)) > 0 and again == 0


def test_digest_send_twice_queues_nothing_twice_and_reaches_a_tutor_linked_since(
    database_url: str, records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    command = ["digest", "send", "--month", str(records.month)]
    first = CliRunner().invoke(cli, command)
    again = CliRunner().invoke(cli, command)
    assert first.exit_code == 0 and "Queued 4 messages" in first.output  # 3 + the school's
    assert again.exit_code == 0 and "Queued 0 messages" in again.output

    async def link_a_tutor_of_ks21() -> None:
        engine = create_engine(database_url)
        async with make_sessionmaker(engine).begin() as session:
            group = await session.scalar(select(StudyGroup).where(StudyGroup.code == "KS-21"))
            assert group is not None and group.id is not None
            staff = Staff(code="T2", first_name="A", last_name="Tutor", name_key="a tutor")
            session.add(staff)
            await session.flush()
            assert staff.id is not None
            session.add_all(
                [
                    GroupTutor(group_id=group.id, staff_id=staff.id),
                    TelegramAccount(telegram_id=8299, staff_id=staff.id),
                ]
            )
        await engine.dispose()

    asyncio.run(link_a_tutor_of_ks21())
    late = CliRunner().invoke(cli, command)
    assert "Queued 3 messages" in late.output  # from the frozen figures


async def test_stats_lists_the_months_digests(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
    records: Records,
) -> None:
    await _tutor_also_of_ks21(sessionmaker)
    await queue_digests(sessionmaker, settings, records.month)
    async with sessionmaker.begin() as session:  # the second group's table is refused
        await session.execute(
            update(DigestFigures).where(col(DigestFigures.group_code) == "KS-21").values(body=b"{")
        )
    await deliver(app.bot, sessionmaker)
    await app.process_update(text_update(app.bot, "/stats", ADMIN))
    text = telegram.last_text(ADMIN.id)
    assert "Monthly digests" in text
    assert (
        f"{records.month}: tutors reached 1, files sent 2, failed 3, blocked 0, not linked 0, "
        "waiting 0"
    ) in text
