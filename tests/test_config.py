"""Settings: defaults, list parsing, and one clear line for a wrong value."""

import pytest

from bot.config import ConfigError, load_settings


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = load_settings(_env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///./schoolbot.db"
    assert settings.timezone == "Europe/Riga" and settings.default_language == "lv"


def test_admin_ids_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_TELEGRAM_IDS", "123, 456;789")
    assert load_settings(_env_file=None).admin_telegram_ids == [123, 456, 789]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TIMEZONE", "Mars/Base", "TIMEZONE: unknown time zone 'Mars/Base'"),
        ("DEFAULT_LANGUAGE", "de", "DEFAULT_LANGUAGE: Input should be 'lv', 'ru' or 'en'"),
        ("DATABASE_URL", "postgresql://x/y", "DATABASE_URL: spell the driver out"),
        ("ADMIN_TELEGRAM_IDS", "12,abc", "ADMIN_TELEGRAM_IDS"),
        ("DIGEST_DAY", "31", "DIGEST_DAY"),
    ],
)
def test_a_wrong_value_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None)
    assert str(error.value).startswith(expected)
    assert "\n" not in str(error.value)
