"""`schoolbot backup` copies a live SQLite database, and the copy restores to a working bot."""

import asyncio
import sqlite3
from pathlib import Path

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from bot import migrate
from bot.cli.main import app
from bot.config import Settings
from bot.preflight import check_ready

runner = CliRunner()


def test_a_backup_taken_while_writing_restores_with_every_committed_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "schoolbot.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{live}")
    writer = sqlite3.connect(live)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute(
        "INSERT INTO audit_log (at, actor, action, target, detail)"
        " VALUES ('2026-12-04 08:00:00', 'cli', 'test', 'kept', '')"
    )
    writer.commit()  # committed, and still only in the write-ahead log: the bot is running
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{live}")
    result = runner.invoke(app, ["backup", str(tmp_path / "backup.db")])
    writer.close()
    assert result.exit_code == 0, result.output

    restored = tmp_path / "restored" / "schoolbot.db"
    restored.parent.mkdir()
    restored.write_bytes((tmp_path / "backup.db").read_bytes())
    rows = sqlite3.connect(restored).execute("SELECT target FROM audit_log").fetchall()
    assert rows == [("kept",)]
    settings = Settings(
        telegram_bot_token=SecretStr("1:abc"),
        database_url=f"sqlite+aiosqlite:///{restored}",
        link_code_secret=SecretStr("a-test-secret-of-enough-length"),
        _env_file=None,
    )
    asyncio.run(check_ready(settings))  # the restored file is whole and at this version


def test_a_backup_never_overwrites_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = tmp_path / "schoolbot.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{live}")
    (tmp_path / "old.db").write_text("an older backup")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{live}")
    result = runner.invoke(app, ["backup", str(tmp_path / "old.db")])
    assert result.exit_code == 2 and "exists already" in result.output
    assert (tmp_path / "old.db").read_text() == "an older backup"


def test_postgresql_is_pointed_to_pg_dump(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@127.0.0.1/x")
    result = runner.invoke(app, ["backup", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "pg_dump" in result.output
