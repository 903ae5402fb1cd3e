"""Monthly digests: figures checked independently, real files, refusals, exactly once."""

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from typer.testing import CliRunner

from bot.app import SchoolApplication
from bot.cli.main import app as cli
from bot.config import Settings
from bot.db import SessionMaker
from bot.documents.digest_files import digest_chart, digest_xlsx
from jobs.digest_job import due_month, queue_digests
from models.attendance_queries import Month
from models.digest_queries import build_digests
from models.outbox import OutboxMessage
from models.school import Student
from tests.fake_telegram import RecordingRequest, text_update
from tests.month_digest.delivery import deliver
from tests.records_data import ADMIN, STUDENT, TUTOR, Records


async def _sql_counts(sessionmaker: SessionMaker, month: Month) -> dict[tuple[int, str], int]:
    async with sessionmaker() as session:
        rows = await session.execute(
            text(
                "SELECT student_id, status, count(*) FROM absence "
                "WHERE date BETWEEN :first AND :last GROUP BY student_id, status"
            ),
            {"first": month.first, "last": month.last},
        )
        return {(int(s), str(status)): int(n) for s, status, n in rows.all()}


async def test_figures_match_an_independent_count(
    sessionmaker: SessionMaker, settings: Settings, records: Records
) -> None:
    async with sessionmaker() as session:
        group_id = await _group_of(session, records.student)
        [digest] = await build_digests(
            session, month=records.month, failing_below=4, group_ids=[group_id]
        )
    expected = await _sql_counts(sessionmaker, records.month)
    for line in digest.students:
        assert line.absences.unexcused == expected.get((line.student_id, "unexcused"), 0)
        assert line.absences.excused == expected.get((line.student_id, "excused"), 0)
        assert line.absences.pending == expected.get((line.student_id, "pending"), 0)
    previous = await _sql_counts(sessionmaker, records.month.shift(-1))
    assert digest.previous.unexcused == sum(
        n for (s, status), n in previous.items() if status == "unexcused" and s != records.other
    )
    student = next(s for s in digest.students if s.student_id == records.student)
    assert student.failing == ["Matemātika"] and student.missing == ["Latviešu valoda"]
    assert student.on_practice


async def _group_of(session: object, student_id: int) -> int:
    from sqlalchemy.ext.asyncio import AsyncSession

    assert isinstance(session, AsyncSession)
    student = await session.get(Student, student_id)
    assert student is not None
    return student.group_id


async def test_the_table_and_chart_are_real_files(
    sessionmaker: SessionMaker, records: Records
) -> None:
    async with sessionmaker() as session:
        digests = await build_digests(session, month=records.month, failing_below=4)
    digest = next(d for d in digests if d.code == "AM-21")
    book = load_workbook(io.BytesIO(digest_xlsx(digest, "en", limit=2)))
    sheet = book.active
    assert sheet is not None and sheet.freeze_panes == "B2" and sheet.auto_filter.ref
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "Kalniņa Anna")
    assert row[header.index("Unexcused")] == 3 and isinstance(row[header.index("Total")], int)
    assert row[header.index("Matemātika: average")] == 5.0
    assert "over the limit" in str(row[-1]) and "failing: Matemātika" in str(row[-1])
    assert all(cell.font.b for cell in sheet[1])
    widths = {n: d.width for d in sheet.column_dimensions.values() for n in range(d.min, d.max + 1)}
    for number, column in enumerate(sheet.iter_cols(), start=1):  # the longest value fits
        longest = max(len(str(c.value)) for c in column if c.value is not None)
        wanted = min(max(longest + 2, 8), 50)
        assert wanted <= widths[number] < wanted + 1
    image = Image.open(io.BytesIO(digest_chart(digest, "lv", limit=2)))
    assert image.format == "PNG" and image.size[0] >= 600
    colours = {colour for _count, colour in image.convert("RGB").getcolors(1 << 16) or []}
    assert {(0xD9, 0x53, 0x4F), (0x9D, 0xC3, 0xE6), (0xFF, 0xFF, 0xFF)} <= colours  # the bars


async def test_a_tutor_gets_message_table_and_chart_others_are_refused(
    app: SchoolApplication, telegram: RecordingRequest, records: Records
) -> None:
    await app.process_update(text_update(app.bot, f"/digest {records.month}", TUTOR))
    methods = [c.method for c in telegram.calls if c.chat_id == TUTOR.id]
    assert methods[-3:] == ["sendMessage", "sendDocument", "sendPhoto"]
    assert "AM-21" in next(c for c in telegram.calls if c.method == "sendMessage").params["text"]
    await app.process_update(text_update(app.bot, "/digest", STUDENT))
    assert "tutors" in telegram.last_text(STUDENT.id)
    await app.process_update(text_update(app.bot, "/digest KS-21", TUTOR))
    assert telegram.last_text(TUTOR.id) == "Sorry, you don't have access to that."


async def test_the_monthly_run_happens_exactly_once(
    sessionmaker: SessionMaker, settings: Settings, records: Records
) -> None:
    first, unlinked = await queue_digests(sessionmaker, settings, records.month)
    again, _ = await queue_digests(sessionmaker, settings, records.month)
    forced, _ = await queue_digests(sessionmaker, settings, records.month, claim=False)
    async with sessionmaker() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    assert first == len(rows) >= 3 and again == 0 and forced == 0
    assert {r.chat_id for r in rows} >= {TUTOR.id}
    assert sum(1 for r in rows if r.filename.endswith(".xlsx")) == 1
    assert all(r.document is None and r.photo is None and r.digest_id for r in rows)  # no bytes
    assert unlinked == []


def test_due_month_follows_the_digest_day_and_catch_up(settings: Settings) -> None:
    def at(day: int, hour: int = 9) -> dt.datetime:
        return dt.datetime(2026, 12, day, hour, tzinfo=settings.tz)

    assert due_month(at(1), settings) == Month(2026, 11)
    assert due_month(at(1, 7), settings) is None  # before 08:00
    assert due_month(at(6), settings) == Month(2026, 11)  # within the catch-up days
    assert due_month(at(7), settings) is None


async def test_query_count_does_not_grow_with_students(
    engine: AsyncEngine, sessionmaker: SessionMaker, records: Records
) -> None:
    async def count() -> int:
        seen = 0

        def listen(*_args: object) -> None:
            nonlocal seen
            seen += 1

        event.listen(engine.sync_engine, "before_cursor_execute", listen)
        async with sessionmaker() as session:
            await build_digests(session, month=records.month, failing_below=4)
        event.remove(engine.sync_engine, "before_cursor_execute", listen)
        return seen

    before = await count()
    async with sessionmaker.begin() as session:
        group_id = (await session.get(Student, records.student)).group_id  # type: ignore[union-attr]
        for n in range(30):
            session.add(
                Student(
                    student_number=f"X{n}",
                    first_name="A",
                    last_name=f"B{n}",
                    name_key=f"a b{n}",
                    group_id=group_id,
                )
            )
    assert await count() == before


def test_cli_preview_writes_the_three_files(
    tmp_path: Path, database_url: str, records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    tmp_path = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "digest",
            "preview",
            "--group",
            "am21",
            "--month",
            str(records.month),
            "--out",
            str(tmp_path),
            "--language",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.suffix for p in tmp_path.iterdir())
    assert names == [".png", ".txt", ".xlsx"]


async def test_admins_get_the_school_overview_with_rollups(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
    records: Records,
) -> None:
    await queue_digests(sessionmaker, settings, records.month)
    await deliver(app.bot, sessionmaker)
    school = telegram.last_text(ADMIN.id)
    assert "AM-21: 6 / 3 / 0" in school  # missed / unexcused / over the limit of 8
    assert "Pa ēkām" in school and "Pa kursiem" in school  # the default language
    assert "Kalniņa Anna (AM-21): 3" in school


async def test_a_tutor_of_two_groups_gets_both_and_a_blocked_tutor_is_recorded(
    sessionmaker: SessionMaker, settings: Settings, records: Records
) -> None:
    from models.accounts import TelegramAccount
    from models.school import GroupTutor, Staff, StudyGroup

    async with sessionmaker.begin() as session:
        tutor = await session.scalar(select(Staff).where(Staff.code == "T1"))
        other = await session.scalar(select(StudyGroup).where(StudyGroup.code == "KS-21"))
        assert tutor is not None and tutor.id and other is not None and other.id
        session.add(GroupTutor(group_id=other.id, staff_id=tutor.id))
    _queued, unlinked = await queue_digests(sessionmaker, settings, records.month)
    async with sessionmaker() as session:
        keys = [r.dedupe_key for r in (await session.scalars(select(OutboxMessage))).all()]
    assert sum(1 for k in keys if f":chat:{TUTOR.id}:" in k) == 6  # two groups, three parts
    assert unlinked == []

    async with sessionmaker.begin() as session:
        account = await session.scalar(
            select(TelegramAccount).where(TelegramAccount.telegram_id == TUTOR.id)
        )
        assert account is not None
        account.blocked = True
    _queued, unlinked = await queue_digests(
        sessionmaker, settings, records.month.shift(-1), claim=True
    )
    assert len(unlinked) == 2 and all("AM-21" in u or "KS-21" in u for u in unlinked)


async def test_an_absence_excused_after_the_month_counts_as_excused(
    sessionmaker: SessionMaker, records: Records
) -> None:
    from models.attendance import Absence

    async with sessionmaker.begin() as session:
        for absence in await session.scalars(
            select(Absence).where(
                Absence.student_id == records.student, Absence.status == "unexcused"
            )
        ):
            if absence.date.month == records.month.month:
                absence.status = "excused"
    async with sessionmaker() as session:
        digests = await build_digests(session, month=records.month, failing_below=4)
    line = next(s for d in digests for s in d.students if s.student_id == records.student)
    assert (line.absences.unexcused, line.absences.excused) == (0, 4)


async def test_a_student_who_moved_group_is_counted_in_the_new_group(
    sessionmaker: SessionMaker, records: Records
) -> None:
    from models.school import StudyGroup

    async with sessionmaker.begin() as session:
        student = await session.get(Student, records.student)
        other = await session.scalar(select(StudyGroup).where(StudyGroup.code == "KS-21"))
        assert student is not None and other is not None and other.id
        student.group_id = other.id
    async with sessionmaker() as session:
        digests = {
            d.code: d for d in await build_digests(session, month=records.month, failing_below=4)
        }
    assert records.student in {s.student_id for s in digests["KS-21"].students}
    assert records.student not in {s.student_id for s in digests["AM-21"].students}
    assert digests["KS-21"].totals.unexcused == 3 + 1


async def test_weeks_averages_and_the_last_attestation(
    sessionmaker: SessionMaker, records: Records
) -> None:
    from models.marks import Mark
    from models.school import Subject

    month = records.month
    async with sessionmaker.begin() as session:
        maths = await session.scalar(select(Subject).where(Subject.code == "MAT"))
        assert maths is not None and maths.id is not None
        student, subject = records.student, maths.id
        session.add_all(
            [
                Mark(
                    student_id=student,
                    subject_id=subject,
                    date=month.first,
                    kind="test",
                    value="10",
                    score=10,
                ),
                Mark(
                    student_id=student,
                    subject_id=subject,
                    date=month.first,
                    kind="attestation",
                    value="2",
                    score=2,
                ),
                Mark(
                    student_id=student,
                    subject_id=subject,
                    date=month.last,
                    kind="attestation",
                    value="nv",
                ),
            ]
        )
    async with sessionmaker() as session:
        [digest] = await build_digests(
            session, month=month, failing_below=4, group_ids=[await _group_of(session, student)]
        )
    line = next(s for s in digest.students if s.student_id == student)
    first, last = month.first.isocalendar().week, month.last.isocalendar().week
    assert digest.weeks[0] == first and digest.weeks[-1] == last
    assert (line.weeks[first].unexcused, line.weeks[first].total) == (2, 2)
    assert (line.weeks[last].unexcused, line.weeks[last].excused, line.weeks[last].pending) == (
        1,
        1,
        1,
    )
    assert line.averages == {"Matemātika": (3 + 7 + 10) / 3}  # attestations are not averaged
    assert line.attestations == {"Matemātika": "nv"}  # the month's last one


async def test_one_group_reads_like_the_whole_school_and_leavers_are_left_out(
    sessionmaker: SessionMaker, records: Records
) -> None:
    from models.school import StudentStatus

    async with sessionmaker.begin() as session:
        classmate = await session.get(Student, records.classmate)
        assert classmate is not None
        classmate.status = StudentStatus.EXPELLED
    async with sessionmaker() as session:
        group_id = await _group_of(session, records.student)
        [alone] = await build_digests(
            session, month=records.month, failing_below=4, group_ids=[group_id]
        )
        every = await build_digests(session, month=records.month, failing_below=4)
    assert alone == next(d for d in every if d.group_id == group_id)
    assert [s.student_id for s in alone.students] == [records.student]
    assert alone.totals.excused == 1  # the expelled classmate's excused lesson is not counted


async def test_text_from_the_school_stays_text_in_the_table(
    sessionmaker: SessionMaker, records: Records
) -> None:
    async with sessionmaker.begin() as session:
        student = await session.get(Student, records.student)
        assert student is not None
        student.last_name = '=HYPERLINK("https://example.com")'
        group_id = student.group_id
    async with sessionmaker() as session:
        [digest] = await build_digests(
            session, month=records.month, failing_below=4, group_ids=[group_id]
        )
    sheet = load_workbook(io.BytesIO(digest_xlsx(digest, "en", limit=2))).active
    assert sheet is not None
    cell = next(c for c in sheet["A"] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("https://example.com") Anna'
