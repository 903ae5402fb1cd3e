"""The demo: the real bot long-polling the sandbox emulator, on the demo school's database."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import SecretStr
from sqlmodel import col, select
from telegram import Update

from bot.app import SchoolApplication, build_application
from bot.config import Settings
from bot.db import SessionMaker
from bot.sandbox.personas import Persona
from bot.sandbox.state import SandboxUser
from models.accounts import TelegramAccount
from models.demo import DemoPersona
from models.link_policy import LinkPolicy
from models.linking import issue_code
from models.school import Staff, Student

if TYPE_CHECKING:
    from bot.sandbox.sandbox import Sandbox

logger = logging.getLogger(__name__)

DEMO_DATABASE_URL = "sqlite+aiosqlite:///./schoolbot-demo.db"
# The demo's codes are shown on its page, so its secret need not be one; a school's must be.
DEMO_LINK_CODE_SECRET = "schoolbot-demo-link-codes-not-for-a-school"
DEMO_LINK_POLICY = LinkPolicy(DEMO_LINK_CODE_SECRET)
VISITOR = Persona(
    "visitor", "A new visitor", "visitor", 899_999_999, "Visitor", "lv", note="Not linked"
)


async def load_personas(
    sessionmaker: SessionMaker,
    *,
    code_ttl_days: int = 30,
    policy: LinkPolicy = DEMO_LINK_POLICY,
) -> list[Persona]:
    """Return the demo school's personas in order, and a brand-new visitor last.

    A persona not linked yet gets a fresh link code on the page, as a printed sheet would give.
    """
    now = datetime.now(UTC)
    async with sessionmaker.begin() as session:
        rows = (
            await session.execute(
                select(DemoPersona, Student, Staff, TelegramAccount)
                .outerjoin(Student, col(Student.id) == col(DemoPersona.student_id))
                .outerjoin(Staff, col(Staff.id) == col(DemoPersona.staff_id))
                .outerjoin(
                    TelegramAccount,
                    col(TelegramAccount.telegram_id) == col(DemoPersona.telegram_id),
                )
                .order_by(col(DemoPersona.position))
            )
        ).all()
        personas = []
        for persona, student, staff, account in rows:
            person = student or staff
            note = persona.story
            unlinked = account is None or (account.student_id is None and account.staff_id is None)
            if unlinked and (persona.student_id or persona.staff_id):
                code = await issue_code(
                    session,
                    student_id=persona.student_id,
                    staff_id=None if persona.student_id else persona.staff_id,
                    ttl_days=code_ttl_days,
                    now=now,
                    policy=policy,
                )
                note = f"Not linked yet. Link code: {code}"
            personas.append(
                Persona(
                    key=persona.key,
                    label=persona.label,
                    # The page has no guardian badge yet: a guardian shows as a visitor there.
                    role="visitor" if persona.role == "guardian" else persona.role,  # type: ignore[arg-type]  # the generator writes valid roles
                    telegram_id=persona.telegram_id,
                    first_name=person.first_name if person else persona.label,
                    language_code=account.language if account and account.language else "lv",
                    note=note,
                )
            )
    return [*personas, VISITOR]


@dataclass
class RunningDemo:
    """The sandbox and the bot polling it; stop() shuts both down."""

    sandbox: "Sandbox"
    application: SchoolApplication

    async def stop(self) -> None:
        """Stop polling, then the bot, then the sandbox."""
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
            if self.application.post_stop is not None:  # as run_polling does
                await self.application.post_stop(self.application)
        await self.application.shutdown()
        await self.sandbox.stop()


async def start_demo(
    settings: Settings,
    sessionmaker: SessionMaker,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    personas: list[Persona] | None = None,
) -> RunningDemo:
    """Start the sandbox on host:port and the real bot long-polling it.

    Without a LINK_CODE_SECRET of its own, the demo uses DEMO_LINK_CODE_SECRET.
    """
    secret = settings.link_code_secret or SecretStr(DEMO_LINK_CODE_SECRET)
    settings = settings.model_copy(update={"link_code_secret": secret})
    from bot.sandbox.sandbox import start_sandbox  # aiohttp loads on first use

    sandbox = await start_sandbox(
        host,
        port,
        personas
        if personas is not None
        else await load_personas(
            sessionmaker, code_ttl_days=settings.link_code_ttl_days, policy=settings.link_policy
        ),
    )
    async with sessionmaker() as session:  # everyone linked can receive notices and digests
        accounts = (
            await session.execute(
                select(col(TelegramAccount.telegram_id), col(TelegramAccount.first_name))
            )
        ).all()
    for telegram_id, first_name in accounts:
        sandbox.emulator.register_user(SandboxUser(telegram_id, first_name or "User"))
    demo_settings = settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(sandbox.token),
            "telegram_api_url": sandbox.api_base_url,
            "telegram_file_url": sandbox.file_base_url,
        }
    )
    application = build_application(demo_settings, sessionmaker=sessionmaker)
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES
    )
    logger.info("demo bot is polling the sandbox at %s", sandbox.api_base_url)
    return RunningDemo(sandbox, application)
