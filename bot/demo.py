"""The demo: the real bot long-polling the sandbox emulator, on the demo school's database."""

import logging
from dataclasses import dataclass

from pydantic import SecretStr
from sqlmodel import col, select
from telegram import Update

from bot.app import SchoolApplication, build_application
from bot.config import Settings
from bot.db import SessionMaker
from bot.sandbox import Persona, Sandbox, start_sandbox
from models.accounts import TelegramAccount
from models.demo import DemoPersona
from models.school import Staff, Student

logger = logging.getLogger(__name__)

DEMO_DATABASE_URL = "sqlite+aiosqlite:///./schoolbot-demo.db"
VISITOR = Persona(
    "visitor", "A new visitor", "visitor", 899_999_999, "Visitor", "lv", note="Not linked"
)


async def load_personas(sessionmaker: SessionMaker) -> list[Persona]:
    """Return the demo school's personas, in their order, and a brand-new visitor last."""
    async with sessionmaker() as session:
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
    personas = [
        Persona(
            key=persona.key,
            label=persona.label,
            role=persona.role,  # type: ignore[arg-type]  # the generator writes valid roles
            telegram_id=persona.telegram_id,
            first_name=(student or staff).first_name if (student or staff) else persona.label,
            language_code=(account.language if account and account.language else "lv"),
            note=persona.story if account else "Not linked yet",
        )
        for persona, student, staff, account in rows
    ]
    return [*personas, VISITOR]


@dataclass
class RunningDemo:
    """The sandbox and the bot polling it; stop() shuts both down."""

    sandbox: Sandbox
    application: SchoolApplication

    async def stop(self) -> None:
        """Stop polling, then the bot, then the sandbox."""
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
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
    """Start the sandbox on host:port and the real bot long-polling it."""
    sandbox = await start_sandbox(
        host, port, personas if personas is not None else await load_personas(sessionmaker)
    )
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
