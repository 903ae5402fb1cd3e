"""Checks before the bot starts: the role's database and webhook, token, secret, schema."""

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot import migrate
from bot.chat.context import Role
from bot.config import SECRET_RECIPE, Settings
from bot.db import create_engine


class PreflightError(Exception):
    """The bot cannot start; the message says what is wrong and what to do."""


def check_role(settings: Settings, role: Role) -> None:
    """Raise PreflightError when the settings do not suit this role (database, webhook)."""
    if role != "run" and not settings.database_url.startswith("postgresql"):
        raise PreflightError(
            f"`schoolbot {role}` runs beside other processes and needs PostgreSQL "
            "(DATABASE_URL=postgresql+asyncpg://...); on SQLite use `schoolbot run`."
        )
    if role == "web" and settings.webhook_url is None:
        raise PreflightError(
            "`schoolbot web` receives updates by webhook: set WEBHOOK_URL (the public https "
            "address Telegram posts to) and WEBHOOK_SECRET."
        )
    if role != "worker" and settings.webhook_url and settings.webhook_secret is None:
        raise PreflightError(
            f"WEBHOOK_SECRET is not set: without it anyone could post updates to WEBHOOK_URL. "
            f"Make one with `{SECRET_RECIPE}`."
        )


async def check_ready(settings: Settings) -> None:
    """Raise PreflightError with an exact instruction when the bot cannot start."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        raise PreflightError(
            "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather and put its token "
            "in .env or the environment (or try `schoolbot demo`, which needs no token)."
        )
    if settings.link_code_secret is None:
        raise PreflightError(
            f"LINK_CODE_SECRET is not set. Make one with `{SECRET_RECIPE}` and put it in .env "
            "or the environment; changing it later stops the codes not yet used from working."
        )
    shown_url = make_url(settings.database_url).render_as_string(hide_password=True)
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        current = await migrate.current_revision(engine)
        missing = await migrate.missing_schema(engine) if current is not None else []
    except (SQLAlchemyError, OSError) as exc:
        reason = str(exc).splitlines()[0]
        raise PreflightError(f"Cannot reach the database {shown_url}: {reason}") from None
    finally:
        await engine.dispose()
    head = migrate.head_revision(settings.database_url)
    if current != head:
        state = "empty" if current is None else f"at revision {current}"
        raise PreflightError(
            f"The database {shown_url} is {state}; this version needs {head}. "
            "Run `schoolbot db upgrade` first."
        )
    if missing:
        raise PreflightError(
            f"The database {shown_url} is at revision {current} but lacks "
            f"{', '.join(missing)}. It was made by an unreleased build: restore a backup "
            "or recreate it (`schoolbot db upgrade` on an empty database), then import again."
        )
