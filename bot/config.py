"""Settings read from the environment and an optional .env file."""

from datetime import time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from models.i18n import Language
from models.import_limits import ImportLimits
from models.link_policy import LinkPolicy
from models.retention import RetentionPolicy

SECRET_RECIPE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


class ConfigError(Exception):
    """A setting has a value the bot cannot use; the message names the setting."""


class Settings(BaseSettings):
    """Everything the bot can be configured with; see the README's configuration table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = "sqlite+aiosqlite:///./schoolbot.db"
    timezone: str = "Europe/Riga"
    default_language: Language = "lv"
    admin_telegram_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    school_name: str = 'PIKC "Daugavpils tehnikums"'

    # Thresholds (the school's Stipend Regulations decide the real values).
    unexcused_month_limit: int = Field(default=8, ge=0)
    unexcused_semester_limit: int = Field(default=40, ge=0)
    failing_mark_below: int = Field(default=4, ge=1, le=10)

    # Link codes.
    link_code_ttl_days: int = Field(default=30, ge=1, le=365)
    link_max_failures: int = Field(default=5, ge=1)
    link_lockout_minutes: int = Field(default=60, ge=1)
    # The key of the codes' keyed hash; changing it makes the codes not yet used stop working.
    link_code_secret: SecretStr | None = None
    # School-wide: this many wrong codes within the window (all accounts) pause code checks.
    link_school_max_failures: int = Field(default=100, ge=1)
    link_school_window_minutes: int = Field(default=10, ge=1, le=24 * 60)

    # Monthly digests.
    digest_day: int = Field(default=1, ge=1, le=28)
    digest_time: time = time(8, 0)
    digest_catch_up_days: int = Field(default=5, ge=0, le=27)
    school_digest_enabled: bool = True

    # Outbox pacing and quiet hours.
    outbox_rate_per_second: float = Field(default=25.0, gt=0)
    outbox_per_chat_interval: float = Field(default=1.0, ge=0)
    quiet_hours_start: time = time(21, 0)
    quiet_hours_end: time = time(7, 30)
    # Hours after which an announcement asking to confirm reading reminds the rest (0: never).
    announce_reminder_hours: int = Field(default=0, ge=0, le=24 * 14)

    # Logs: LOG_LEVEL (DEBUG, INFO, WARNING, ERROR) and LOG_FORMAT (text or json lines).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    # Updates handled at once; one person's updates always run one after another, in order.
    concurrent_updates: int = Field(default=32, ge=1, le=1024)

    # Operations: /healthz and /metrics on a port of their own (0: not served).
    ops_host: str = "127.0.0.1"
    ops_port: int = Field(default=9102, ge=0, le=65535)

    # Retention: finished outbox messages lose their files, then go; audit rows go.
    outbox_keep_days: int = Field(default=30, ge=1)
    outbox_delete_days: int = Field(default=400, ge=1)
    audit_keep_days: int = Field(default=365, ge=1)

    # Import limits.
    import_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    import_max_rows: int = Field(default=200_000, ge=1)
    # What every part of an XLSX (a zip archive) may unpack to, together; bounds peak memory.
    import_max_unpacked_bytes: int = Field(default=32 * 1024 * 1024, ge=1)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith(("postgresql://", "postgres://")):
            raise ValueError("spell the driver out: postgresql+asyncpg://user@host/db")
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path.db or postgresql+asyncpg://...")
        return value

    @model_validator(mode="after")
    def _files_go_before_rows(self) -> "Settings":
        if self.outbox_delete_days < self.outbox_keep_days:
            raise ValueError("OUTBOX_DELETE_DAYS must not be less than OUTBOX_KEEP_DAYS")
        return self

    @field_validator("link_code_secret")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and 0 < len(value.get_secret_value().strip()) < 16:
            raise ValueError(f"use at least 16 random characters; make one with {SECRET_RECIPE}")
        if value is not None and not value.get_secret_value().strip():
            return None
        return value

    @property
    def link_policy(self) -> LinkPolicy:
        """The link-code rules for the core; raises ConfigError when there is no secret."""
        if self.link_code_secret is None:
            raise ConfigError(f"LINK_CODE_SECRET is not set; make one with {SECRET_RECIPE}")
        return LinkPolicy(
            secret=self.link_code_secret.get_secret_value(),
            max_failures=self.link_max_failures,
            lockout_minutes=self.link_lockout_minutes,
            school_max_failures=self.link_school_max_failures,
            school_window_minutes=self.link_school_window_minutes,
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def retention(self) -> RetentionPolicy:
        return RetentionPolicy(
            outbox_file_days=self.outbox_keep_days,
            outbox_row_days=self.outbox_delete_days,
            audit_days=self.audit_keep_days,
        )

    @property
    def import_limits(self) -> ImportLimits:
        """Return the import settings as the plain values the importer takes."""
        return ImportLimits(
            max_bytes=self.import_max_bytes,
            max_rows=self.import_max_rows,
            max_unpacked_bytes=self.import_max_unpacked_bytes,
            tz=self.tz,
        )


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a validation failure into one line naming the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]  # overrides are validated
    except ValidationError as exc:
        error = exc.errors()[0]
        name = ".".join(str(part) for part in error["loc"]).upper() or "settings"
        reason = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {reason}") from None
