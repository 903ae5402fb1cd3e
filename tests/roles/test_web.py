"""`schoolbot web`: updates Telegram posts with the secret are answered; others get 403."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from bot.sandbox import Sandbox
from bot.sandbox.state import SandboxUser
from tests.roles.processes import Process, environment, free_port, start, until

SECRET = "web-test_Secret-123"
VISITOR = SandboxUser(920_001, "Visitor", language_code="en")


@asynccontextmanager
async def _receiving(
    role: str, database_url: str, sandbox: Sandbox, folder: Path
) -> AsyncIterator[tuple[Process, str]]:
    """`schoolbot <role>` with a webhook set at the sandbox; yields it and its webhook URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = environment(
        database_url,
        sandbox,
        WEBHOOK_URL=url,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    process = await start(role, env, folder)
    try:
        await until(process.health, seconds=90, what=f"{role} serves /healthz", logs=[process])
        await until(
            lambda: sandbox.emulator.state.webhook.config is not None,
            seconds=30,
            what=f"{role} set the webhook",
            logs=[process],
        )
        yield process, url
    finally:
        await process.stop()


@pytest.fixture
async def replica(
    postgres_url: str, sandbox: Sandbox, tmp_path: Path
) -> AsyncIterator[tuple[Process, str]]:
    """One web replica, its webhook set at the sandbox."""
    async with _receiving("web", postgres_url, sandbox, tmp_path) as started:
        yield started


async def _post(url: str, update: dict[str, object], secret: str) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with (
        aiohttp.ClientSession() as client,
        client.post(
            url, data=json.dumps(update), headers={**headers, "Content-Type": "application/json"}
        ) as answer,
    ):
        return answer.status


async def test_a_web_replica_sets_the_webhook_and_answers_what_telegram_posts(
    replica: tuple[Process, str], sandbox: Sandbox
) -> None:
    process, url = replica
    config = sandbox.emulator.state.webhook.config
    assert config is not None and config.url == url and config.secret_token == SECRET
    sandbox.emulator.register_user(VISITOR)
    await sandbox.emulator.user_sends(VISITOR, "/help")
    await until(
        lambda: sandbox.emulator.messages_for(VISITOR.id),
        seconds=30,
        what="answered",
        logs=[process],
    )
    health = await process.health()
    assert health is not None and health["role"] == "web" and "leader" not in health
    assert health["healthy"], health  # web runs no sender, and is not blamed for one


async def test_a_post_without_the_secret_is_refused(
    replica: tuple[Process, str], sandbox: Sandbox
) -> None:
    _process, url = replica
    sandbox.emulator.register_user(VISITOR)
    message = await sandbox.emulator.user_sends(VISITOR, "/help")  # posted by the sandbox too
    forged = {"update_id": 999_999, "message": message.to_api()}
    assert await _post(url, forged, "wrong-secret") == 403
    assert await _post(url, forged, "") == 403


async def test_run_alone_takes_updates_by_webhook_too(
    database_url: str, sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.emulator.register_user(VISITOR)
    async with _receiving("run", database_url, sandbox, tmp_path) as (process, _url):
        await sandbox.emulator.user_sends(VISITOR, "/help")
        await until(
            lambda: sandbox.emulator.messages_for(VISITOR.id),
            seconds=30,
            what="answered",
            logs=[process],
        )
        health = await process.health()
    assert health is not None and health["role"] == "run" and health["healthy"], health
