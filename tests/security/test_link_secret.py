"""Without LINK_CODE_SECRET the bot does not start and no code is issued; a weak one is refused."""

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from bot.config import ConfigError, load_settings


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """A token and a database, no secret; logging as it was afterwards (`run` configures it)."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/school.db")
    monkeypatch.delenv("LINK_CODE_SECRET", raising=False)
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), logging.getLogRecordFactory())
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    logging.setLogRecordFactory(saved[2])


def test_run_without_a_secret_refuses_in_one_line(environment: None) -> None:
    result = CliRunner().invoke(app, ["run"])

    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Cannot start: LINK_CODE_SECRET is not set")
    assert "secrets.token_urlsafe(32)" in lines[0]


def test_codes_without_a_secret_are_not_issued(environment: None) -> None:
    result = CliRunner().invoke(app, ["codes", "--student", "S1", "--bot-username", "b"])

    assert result.exit_code == 2
    assert "LINK_CODE_SECRET is not set" in result.output
    assert not (Path.cwd() / "school.db").exists()  # refused before touching the database


def test_a_short_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINK_CODE_SECRET", "short")

    with pytest.raises(ConfigError, match="LINK_CODE_SECRET: use at least 16 random characters"):
        load_settings(_env_file=None)
