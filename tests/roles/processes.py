"""Real `schoolbot` processes for the role tests: started with settings, read over /healthz."""

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bot.sandbox import Sandbox
from tests.application import settings_for_tests

SCHOOLBOT = str(Path(sys.executable).with_name("schoolbot"))
START_TIMEOUT = 90.0  # seconds a process may take to serve /healthz on a busy machine


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Process:
    """One running `schoolbot <role>`; its log is a file, its state is its /healthz."""

    role: str
    process: asyncio.subprocess.Process
    ops_port: int
    log: Path

    async def health(self) -> dict[str, Any] | None:
        """The /healthz answer, or None while the port does not answer."""
        url = f"http://127.0.0.1:{self.ops_port}/healthz"
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as client,
                client.get(url) as response,
            ):
                answer: dict[str, Any] = json.loads(await response.text())
                return answer
        except (aiohttp.ClientError, TimeoutError):
            return None

    async def leads(self) -> bool:
        health = await self.health()
        return health is not None and health.get("leader") == "yes"

    def kill(self) -> None:
        """Die at once, as a power cut or the OOM killer would end it."""
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


def environment(database_url: str, sandbox: Sandbox, **extra: str) -> dict[str, str]:
    """The settings of a process against this database and the sandbox, nothing else inherited."""
    settings = settings_for_tests(database_url)
    assert settings.link_code_secret is not None
    env = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG")}
    env.update(
        TELEGRAM_BOT_TOKEN=sandbox.token,
        TELEGRAM_API_URL=sandbox.api_base_url,
        TELEGRAM_FILE_URL=sandbox.file_base_url,
        DATABASE_URL=database_url,
        LINK_CODE_SECRET=settings.link_code_secret.get_secret_value(),
        OPS_HOST="127.0.0.1",
        LOG_LEVEL="INFO",
        PTB_TIMEDELTA="true",
    )
    env.update(extra)
    return env


async def start(role: str, env: dict[str, str], folder: Path) -> Process:
    """Start `schoolbot <role>` with its own operations port; its output goes to a log file."""
    ops_port = free_port()
    log = folder / f"{role}-{ops_port}.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            SCHOOLBOT,
            role,
            env={**env, "OPS_PORT": str(ops_port)},
            cwd=folder,  # no .env there
            stdout=output,
            stderr=output,
        )
    return Process(role, process, ops_port, log)


async def until(
    condition: Callable[[], Any], *, seconds: float, what: str, logs: Sequence[Process] = ()
) -> float:
    """Wait until condition() (sync or async) is true; return how long it took."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while loop.time() - started < seconds:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return loop.time() - started
        await asyncio.sleep(0.2)
    tails = "\n".join(f"--- {p.log.name}\n{p.log.read_text()[-3000:]}" for p in logs)
    raise AssertionError(f"{what}: not within {seconds:.0f} s\n{tails}")
