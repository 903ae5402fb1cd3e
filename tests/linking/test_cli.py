"""`schoolbot codes` and `schoolbot audit` from the command line, on the test database."""

import asyncio
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from PIL import Image
from typer.testing import CliRunner, Result

from bot.cli.accounts import register
from bot.config import Settings
from bot.db import SessionMaker
from models.audit import AuditEntry
from models.linking import LinkOutcome, redeem
from models.school import StudentStatus
from tests.builders import add_group, add_staff, add_student


@pytest.fixture
def cli(
    settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> typer.Typer:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("LINK_CODE_SECRET", settings.link_policy.secret)  # the bot's secret
    app = typer.Typer()
    register(app)
    return app


async def run(cli: typer.Typer, *args: str) -> Result:
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args))


@pytest.fixture
async def school(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        await add_student(
            session, group=group, number="S1", last_name="Ābele", first_name="Audzēknis"
        )
        await add_student(
            session, group=group, number="S2", last_name="Bērziņa", first_name="Audzēknis"
        )
        await add_student(
            session,
            group=group,
            number="S3",
            status=StudentStatus.GRADUATED,
            first_name="Audzēknis",
            last_name="Pirmais",
        )
        await add_staff(session, code="T1", first_name="Skolotājs", last_name="Otrais")


async def test_group_csv_codes_redeem(
    cli: typer.Typer, school: None, sessionmaker: SessionMaker, settings: Settings, tmp_path: Path
) -> None:
    result = await run(
        cli, "codes", "--group", "am 21", "--out", str(tmp_path), "--bot-username", "school_bot"
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "codes-AM-21.csv"
    assert f"2 codes written to {path}" in result.output
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [row["number"] for row in rows] == ["S1", "S2"]
    async with sessionmaker.begin() as session:
        linked = [
            await redeem(
                session,
                telegram_id=n,
                text=row["code"],
                now=datetime.now(UTC),
                policy=settings.link_policy,
            )
            for n, row in enumerate(rows, start=1)
        ]
    assert [r.outcome for r in linked] == [LinkOutcome.LINKED, LinkOutcome.LINKED]


async def test_group_pdf_and_png(cli: typer.Typer, school: None, tmp_path: Path) -> None:
    out = ["--out", str(tmp_path), "--bot-username", "school_bot"]
    pdf = await run(cli, "codes", "--group", "AM-21", "--format", "pdf", *out)
    png = await run(cli, "codes", "--group", "AM-21", "--format", "png", *out)
    assert pdf.exit_code == 0 and png.exit_code == 0
    assert (tmp_path / "codes-AM-21.pdf").read_bytes().startswith(b"%PDF")
    with Image.open(tmp_path / "codes-AM-21.png") as image:
        assert image.size == (2000, 560)


async def test_one_student_and_one_staff_member(cli: typer.Typer, school: None) -> None:
    student = await run(cli, "codes", "--student", "S2", "--bot-username", "school_bot")
    staff = await run(cli, "codes", "--staff", "T1", "--bot-username", "@school_bot")
    assert student.exit_code == 0 and staff.exit_code == 0
    name, code, link = student.output.strip().split("\t")
    assert name == "Audzēknis Bērziņa" and link.endswith(code.replace("-", ""))
    assert staff.output.startswith("Skolotājs Otrais\t")


async def test_unknown_group_and_bad_options_fail(cli: typer.Typer, school: None) -> None:
    missing = await run(cli, "codes", "--group", "XX-99", "--bot-username", "b")
    both = await run(cli, "codes", "--group", "AM-21", "--student", "S1")
    nameless = await run(cli, "codes", "--group", "AM-21")
    assert missing.exit_code == 1 and "Not found: XX-99" in missing.output
    assert both.exit_code == 2
    assert nameless.exit_code == 2 and "--bot-username" in nameless.output


async def test_audit_lists_newest_first_and_filters(cli: typer.Typer, school: None) -> None:
    await run(cli, "codes", "--student", "S1", "--bot-username", "b")
    await run(cli, "codes", "--staff", "T1", "--bot-username", "b")

    listed = await run(cli, "audit", "--limit", "5")
    filtered = await run(cli, "audit", "--action", "codes")
    nothing = await run(cli, "audit", "--action", "link")

    lines = listed.output.strip().splitlines()
    assert len(lines) == 2 and "staff:T1" in lines[0] and "student:S1" in lines[1]
    assert "codes:issue" in lines[0] and "cli" in lines[0]
    assert filtered.output == listed.output
    assert nothing.exit_code == 0 and nothing.output == ""


async def test_audit_times_are_school_time_and_say_their_zone(
    cli: typer.Typer, school: None, sessionmaker: SessionMaker, settings: Settings
) -> None:
    async with sessionmaker.begin() as session:
        session.add(AuditEntry(action="test", at=datetime(2026, 7, 1, 6, 30, tzinfo=UTC)))
        session.add(AuditEntry(action="test", at=datetime(2026, 12, 1, 6, 30, tzinfo=UTC)))
    lines = (await run(cli, "audit", "--action", "test")).output.splitlines()
    assert lines[0].startswith("2026-12-01 08:30:00 EET")  # Riga in winter, not 06:30 UTC
    assert lines[1].startswith("2026-07-01 09:30:00 EEST")  # and in summer
