"""The real application over the recording fake, for tests: a handler crash fails the test."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pydantic import SecretStr

from bot.app import SchoolApplication, build_application
from bot.chat.context import Context
from bot.cli.demo_run import DEMO_LINK_CODE_SECRET, DEMO_LINK_POLICY
from bot.config import Settings
from bot.db import SessionMaker
from models.access import AccessDenied
from tests.fake_telegram import RecordingRequest

POLICY = DEMO_LINK_POLICY  # the link policy of settings_for_tests (the same secret)


def settings_for_tests(database_url: str) -> Settings:
    """Settings for a test: a fake token, no admins from the environment, no operations port."""
    return Settings(
        telegram_bot_token=SecretStr("123456:TEST"),
        database_url=database_url,
        admin_telegram_ids=[],
        ops_port=0,
        # The demo's secret, so that codes the demo personas show (load_personas) link here too.
        link_code_secret=SecretStr(DEMO_LINK_CODE_SECRET),
        _env_file=None,
    )


@asynccontextmanager
async def application_over(
    settings: Settings, sessionmaker: SessionMaker, telegram: RecordingRequest
) -> AsyncIterator[SchoolApplication]:
    """Build and initialise the application; afterwards raise the first handler crash."""
    application = build_application(
        settings, sessionmaker=sessionmaker, request=telegram, get_updates_request=telegram
    )
    crashes: list[BaseException] = []

    async def _collect(update: object, context: Context) -> None:
        if context.error is not None and not isinstance(context.error, AccessDenied):
            crashes.append(context.error)

    application.add_error_handler(_collect)
    async with application:
        yield application
    if crashes and not getattr(application, "expect_crash", False):
        raise crashes[0]
