"""Webhook delivery: POST each queued update to the bot's URL, a chat's updates in order."""

import asyncio
import errno
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.sandbox.errors import ApiError
from bot.sandbox.params import Params
from bot.sandbox.store import SandboxState
from bot.sandbox.webhook import SECRET_HEADER, WebhookConfig

logger = logging.getLogger(__name__)

Execute = Callable[[str, Params], Awaitable[Any]]
Update = dict[str, Any]
# Telegram runs a method found in a webhook's answer unless it only reads or moves the webhook.
_NOT_IN_REPLIES = frozenset({"setwebhook", "deletewebhook", "close", "logout"})


@dataclass(frozen=True)
class DeliveryTiming:
    """How long an answer may take, and how a failed update backs off (Telegram: up to 60 s)."""

    timeout: float = 10.0
    first_retry: float = 1.0
    max_retry: float = 60.0

    def retry_after(self, failures: int) -> float:
        """Return the wait before the next attempt after this many failures in a row."""
        return min(self.first_retry * 2.0 ** (failures - 1), self.max_retry)


@dataclass
class _Attempts:
    failures: int = 0
    next_at: float = 0.0


def chat_key(update: Update) -> int:
    """Return what orders an update: its chat, else its sender (a chat's updates go in turn)."""
    payload = next(value for key, value in update.items() if key != "update_id")
    chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
    if chat:
        return int(chat["id"])
    sender = payload.get("from")
    return int(sender["id"]) if sender else -int(update["update_id"])


class WebhookDelivery:
    """The emulator's background sender of updates while a webhook is set."""

    def __init__(self, state: SandboxState, execute: Execute) -> None:
        self.timing = DeliveryTiming()
        self._state = state
        self._execute = execute
        self._config: WebhookConfig | None = None
        self._runner: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._attempts: dict[int, _Attempts] = {}

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def follow(self, config: WebhookConfig | None) -> None:
        """Deliver to this webhook from now on; None stops delivering (back to getUpdates)."""
        if config == self._config:
            return
        await self.stop()
        if config is None:
            return
        self._config = config
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=config.max_connections)
        )
        self._runner = asyncio.create_task(self._run(config), name="sandbox webhook delivery")

    async def stop(self) -> None:
        """Stop delivering; requests in flight are dropped and their updates stay queued."""
        tasks = list(self._in_flight.values())
        if self._runner is not None:
            tasks.append(self._runner)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        self._runner, self._session, self._config = None, None, None
        self._in_flight.clear()
        self._attempts.clear()

    async def _run(self, config: WebhookConfig) -> None:
        queue = self._state.updates
        while not queue.closed:
            seen = queue.version
            wait = self._start_ready(config)
            await queue.wait_for_change(seen, wait)

    def _start_ready(self, config: WebhookConfig) -> float:
        """Start every update that may go now; return the seconds until a retry falls due."""
        now = asyncio.get_running_loop().time()
        waiting_chats: set[int] = set()  # chats with an earlier update not yet confirmed
        next_retry = now + self.timing.max_retry
        for update in self._state.updates.pending:
            if len(self._in_flight) >= config.max_connections:
                break
            key = chat_key(update)
            if key in waiting_chats:
                continue
            waiting_chats.add(key)
            update_id = update["update_id"]
            if update_id in self._in_flight:
                continue
            attempts = self._attempts.get(update_id)
            if attempts is not None and attempts.next_at > now:
                next_retry = min(next_retry, attempts.next_at)
                continue
            self._in_flight[update_id] = asyncio.create_task(self._deliver(config, update))
        return next_retry - now

    async def _deliver(self, config: WebhookConfig, update: Update) -> None:
        update_id = update["update_id"]
        try:
            error, reply = await self._post(config, update)
        finally:
            self._in_flight.pop(update_id, None)
        if error is None:
            await self._run_reply(reply)  # before the chat's next update goes out
            self._attempts.pop(update_id, None)
            self._state.updates.remove(update_id)
            return
        logger.info("sandbox: webhook delivery of update %s failed: %s", update_id, error)
        self._state.webhook.record_error(error)
        self._state.changed()
        attempts = self._attempts.setdefault(update_id, _Attempts())
        attempts.failures += 1
        delay = self.timing.retry_after(attempts.failures)
        attempts.next_at = asyncio.get_running_loop().time() + delay
        self._state.updates.poke()

    async def _post(self, config: WebhookConfig, update: Update) -> tuple[str | None, bytes]:
        """POST one update; return Telegram's wording of a failure (or None) and the answer."""
        assert self._session is not None
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        timeout = aiohttp.ClientTimeout(total=self.timing.timeout)
        post = self._session.post(config.url, json=update, headers=headers, timeout=timeout)
        try:
            async with post as response:
                if not 200 <= response.status <= 299:
                    status = f"{response.status} {response.reason}"
                    return f"Wrong response from the webhook: {status}", b""
                body = await response.read()
        except TimeoutError:
            return "Read timeout expired", b""
        except aiohttp.ClientConnectorError as failure:
            return _connection_error(failure), b""
        except aiohttp.ClientError:
            return "Webhook connection closed", b""
        return None, body

    async def _run_reply(self, body: bytes) -> None:
        """Run the Bot API call a webhook put in its answer, as Telegram does."""
        try:
            reply = json.loads(body) if body else None
        except ValueError:
            return
        if not isinstance(reply, dict) or not isinstance(reply.get("method"), str):
            return
        method = reply.pop("method")
        if method.lower() in _NOT_IN_REPLIES or method.lower().startswith("get"):
            return
        try:
            await self._execute(method, Params(reply))
        except ApiError as error:
            logger.info("sandbox: %s in a webhook answer -> %s", method, error.description)
        except Exception:  # an emulator bug is logged; the delivery goes on
            logger.exception("sandbox: %s in a webhook answer failed", method)


def _connection_error(failure: aiohttp.ClientConnectorError) -> str:
    if failure.os_error.errno == errno.ECONNREFUSED:
        return "Connection refused"
    if isinstance(failure, aiohttp.ClientConnectorDNSError):
        return "Failed to resolve host: Name or service not known"
    return f"Connection failed: {failure.os_error.strerror or failure.os_error}"
