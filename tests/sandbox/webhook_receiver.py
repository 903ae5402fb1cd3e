"""A real webhook endpoint for the tests: an aiohttp server that records what Telegram posts."""

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from telegram import Bot, WebhookInfo

from bot.sandbox import Sandbox
from bot.sandbox.webhook import SECRET_HEADER


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def first_webhook_error(sandbox: Sandbox, bot: Bot) -> WebhookInfo:
    """Wait until a delivery failed, then return what getWebhookInfo says."""
    state = sandbox.emulator.state
    assert await state.signal.wait_until(lambda: state.webhook.last_error_date > 0, 10.0)
    return await bot.get_webhook_info()


@dataclass
class Delivery:
    """One POST the endpoint received."""

    update: dict[str, Any]
    secret: str | None

    @property
    def text(self) -> str | None:
        text = self.update.get("message", {}).get("text")
        return str(text) if text is not None else None

    @property
    def chat_id(self) -> int | None:
        chat = self.update.get("message", {}).get("chat")
        return int(chat["id"]) if chat else None


@dataclass
class Receiver:
    """What the endpoint got, and how it answers: statuses to give first, a held gate, a reply."""

    url: str
    deliveries: list[Delivery] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in turn, then 200
    failing: bool = False  # answer 500 to everything
    slow_first: float = 0.0  # the first request waits this long before its answer
    gate: asyncio.Event | None = None  # when set, requests wait for it before answering
    reply: Callable[[dict[str, Any]], dict[str, Any] | None] = lambda update: None
    active: int = 0
    peak: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        self.deliveries.append(Delivery(update, request.headers.get(SECRET_HEADER)))
        self.active += 1
        self.peak = max(self.peak, self.active)
        self._wake()
        try:
            if self.slow_first and len(self.deliveries) == 1:
                await asyncio.sleep(self.slow_first)
            if self.gate is not None:
                await self.gate.wait()
        finally:
            self.active -= 1
        status = self.statuses.pop(0) if self.statuses else 500 if self.failing else 200
        if status != 200:
            return web.Response(status=status)
        answer = self.reply(update)
        return web.json_response(answer) if answer is not None else web.Response(text="")

    def _wake(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def wait_until(self, condition: Callable[[], bool], seconds: float = 10.0) -> None:
        """Wait until condition() holds, or fail the test after `seconds`."""
        async with asyncio.timeout(seconds):
            while not condition():
                await self._changed.wait()


@asynccontextmanager
async def receiving(port: int = 0, path: str = "/hook") -> AsyncIterator[Receiver]:
    """Run a webhook endpoint on 127.0.0.1 (port 0: any free port) for the with-block."""
    app = web.Application()
    receiver = Receiver(url="")
    app.router.add_post(path, receiver.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = next(address for address in runner.addresses if isinstance(address, tuple))
    receiver.url = f"http://127.0.0.1:{bound[1]}{path}"
    try:
        yield receiver
    finally:
        if receiver.gate is not None:
            receiver.gate.set()
        await runner.cleanup()
