"""`schoolbot import` and `schoolbot templates` from the command line."""

import asyncio
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.imports import register
from bot.db import SessionMaker
from models.importing import KINDS
from tests.importing.dump import count_rows


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> typer.Typer:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", database_url)
    app = typer.Typer()
    register(app)
    return app


async def test_templates_then_import(
    cli: typer.Typer, sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    runner = CliRunner()
    written = await asyncio.to_thread(
        runner.invoke, cli, ["templates", str(tmp_path / "t"), "--format", "csv"]
    )
    assert written.exit_code == 0
    assert written.output.split() == [str(tmp_path / "t" / f"{kind}.csv") for kind in KINDS]

    checked = await asyncio.to_thread(
        runner.invoke,
        cli,
        ["import", str(tmp_path / "t" / "buildings.csv"), "--dry-run", "--language", "en"],
    )
    imported = await asyncio.to_thread(
        runner.invoke, cli, ["import", str(tmp_path / "t" / "buildings.csv"), "--language", "lv"]
    )

    assert checked.exit_code == 0
    assert "Checked only: nothing was written." in checked.output
    assert imported.exit_code == 0
    assert (
        imported.output
        == "buildings.csv: ēkas, rindas: 3.\nJauni: 3, mainīti: 0, bez izmaiņām: 0.\n"
    )
    assert await count_rows(sessionmaker, "building") == 3


async def test_import_with_problems_exits_1(
    cli: typer.Typer, sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    path = tmp_path / "rooms.csv"
    path.write_text("code;building\nR1;NOPE\n", encoding="utf-8")

    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["import", str(path), "--language", "en"]
    )

    assert result.exit_code == 1
    assert "Row 2, column building: Unknown building: NOPE." in result.output
    assert await count_rows(sessionmaker, "room") == 0


async def test_refused_file_exits_1(
    cli: typer.Typer, sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    path = tmp_path / "data.csv"
    path.write_text("code;name\nX;Y\n", encoding="utf-8")

    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["import", str(path), "--kind", "pupils", "--language", "ru"]
    )

    assert result.exit_code == 1
    assert result.output.startswith("data.csv: не импортирован. Неизвестный вид импорта pupils.")
