"""Each role says in one line what it needs: PostgreSQL for web and worker, a webhook's secret."""

import subprocess
from pathlib import Path

import pytest

from bot.chat.context import Role
from bot.config import ConfigError, load_settings
from bot.preflight import PreflightError, check_role
from tests.roles.processes import SCHOOLBOT

POSTGRES = "postgresql+asyncpg://u@127.0.0.1/x"
SECRET = "Abc_123-xyz"
WEBHOOK_ROLES: list[Role] = ["run", "web"]


@pytest.mark.parametrize("role", ["web", "worker"])
def test_a_role_of_several_processes_refuses_sqlite_in_one_line(role: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [SCHOOLBOT, role],
        env={"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/school.db", "PATH": "/usr/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Cannot start: `schoolbot {role}` runs beside other processes and needs PostgreSQL "
        "(DATABASE_URL=postgresql+asyncpg://...); on SQLite use `schoolbot run`."
    ]


def test_web_needs_a_webhook_address() -> None:
    with pytest.raises(PreflightError, match="set WEBHOOK_URL"):
        check_role(load_settings(database_url=POSTGRES, _env_file=None), "web")


@pytest.mark.parametrize("role", WEBHOOK_ROLES)
def test_a_webhook_without_a_secret_is_refused(role: Role) -> None:
    settings = load_settings(
        database_url=POSTGRES, webhook_url="https://bot.school.lv/tg", _env_file=None
    )
    with pytest.raises(PreflightError, match="WEBHOOK_SECRET is not set"):
        check_role(settings, role)


def test_a_web_replica_with_address_and_secret_may_start() -> None:
    settings = load_settings(
        database_url=POSTGRES,
        webhook_url="https://bot.school.lv/tg",
        webhook_secret=SECRET,
        _env_file=None,
    )
    check_role(settings, "web")
    assert settings.webhook_route == "/tg"  # the path Telegram posts to, not the token


def test_the_webhook_path_defaults_to_telegram_and_may_be_set() -> None:
    assert load_settings(webhook_url="https://b.lv", _env_file=None).webhook_route == "/telegram"
    assert load_settings(webhook_path="hook", _env_file=None).webhook_route == "/hook"


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("webhook_url", "http://bot.school.lv/tg", "WEBHOOK_URL: Telegram posts only to https"),
        ("webhook_secret", "has space", "WEBHOOK_SECRET: use 1-256 characters"),
        ("webhook_secret", "x" * 257, "WEBHOOK_SECRET: use 1-256 characters"),
        ("webhook_port", "0", "WEBHOOK_PORT"),
    ],
)
def test_a_wrong_webhook_setting_is_named(setting: str, value: str, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(**{setting: value}, _env_file=None)


def test_the_sandbox_on_this_machine_may_take_a_plain_http_webhook() -> None:
    settings = load_settings(webhook_url="http://127.0.0.1:8081/tg", _env_file=None)
    assert settings.webhook_url == "http://127.0.0.1:8081/tg"
