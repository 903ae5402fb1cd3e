"""Run the sandbox: the emulator and the chat page on one local HTTP port."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from aiohttp import web

from bot.sandbox.emulator import SANDBOX_TOKEN, BotApiEmulator
from bot.sandbox.personas import Persona
from bot.sandbox.web import create_web_app

logger = logging.getLogger(__name__)


@dataclass
class Sandbox:
    """A running sandbox; point the bot at api_base_url and file_base_url, people at url."""

    emulator: BotApiEmulator
    personas: Sequence[Persona]
    host: str
    port: int
    _runner: web.AppRunner

    @property
    def url(self) -> str:
        """The chat page."""
        return f"http://{self.host}:{self.port}/"

    @property
    def api_base_url(self) -> str:
        """For Application.builder().base_url(...)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        """For Application.builder().base_file_url(...)."""
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def token(self) -> str:
        return self.emulator.token

    def persona(self, key: str) -> Persona:
        """Return the persona with this key."""
        return next(p for p in self.personas if p.key == key)

    async def stop(self) -> None:
        """Release waiting requests and close the server."""
        await self.emulator.close()
        await self._runner.cleanup()


async def start_sandbox(
    host: str = "127.0.0.1",
    port: int = 0,
    personas: Sequence[Persona] = (),
    *,
    token: str = SANDBOX_TOKEN,
    emulator: BotApiEmulator | None = None,
) -> Sandbox:
    """Start the emulator and the page on host:port (0 picks a free port)."""
    emulator = emulator or BotApiEmulator(token=token)
    runner = web.AppRunner(
        create_web_app(emulator, personas), access_log=None, shutdown_timeout=1.0
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = next(address for address in runner.addresses if isinstance(address, tuple))
    sandbox = Sandbox(emulator, tuple(personas), host, int(bound[1]), runner)
    logger.info("sandbox listening on %s", sandbox.url)
    return sandbox
