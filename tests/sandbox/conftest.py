"""Fixtures: a sandbox on a free port, a PTB Bot pointed at it, and a polling echo bot."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from telegram import Bot
from telegram.ext import Updater

from bot.sandbox import Persona, Sandbox, start_sandbox
from tests.sandbox.echo_bot import EchoApp, build_echo_application

STUDENT = Persona("student", "Student (DT-31)", "student", 7001, "Student", "en")
TUTOR = Persona("tutor", "Tutor of KS-21", "tutor", 7002, "Tutor", "ru")
ADMIN = Persona("admin", "Study department", "admin", 7003, "Admin", "lv")
PERSONAS = (STUDENT, TUTOR, ADMIN)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    sandbox = await start_sandbox("127.0.0.1", 0, PERSONAS)
    yield sandbox
    await sandbox.stop()


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    """A PTB Bot talking to the sandbox (no polling)."""
    async with Bot(
        sandbox.token, base_url=sandbox.api_base_url, base_file_url=sandbox.file_base_url
    ) as bot:
        yield bot


@asynccontextmanager
async def running_echo_app(
    sandbox: Sandbox, receive: Callable[[Updater], Awaitable[object]]
) -> AsyncIterator[EchoApp]:
    """Run the echo bot, receiving as `receive` starts it; a handler crash fails the test."""
    application = build_echo_application(sandbox)
    crashes: list[BaseException] = []

    async def collect(update: object, context: object) -> None:
        error = getattr(context, "error", None)
        if isinstance(error, BaseException):
            crashes.append(error)

    application.add_error_handler(collect)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await receive(application.updater)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    if crashes:
        raise crashes[0]


@pytest.fixture
async def echo_app(sandbox: Sandbox) -> AsyncIterator[EchoApp]:
    """The echo bot, long polling the sandbox."""
    async with running_echo_app(
        sandbox, lambda updater: updater.start_polling(poll_interval=0, timeout=1)
    ) as application:
        yield application
