"""Webhooks as Telegram serves them: setWebhook's rules, delivery in order, retries, getUpdates."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import Bot
from telegram.error import Conflict

from bot.sandbox import Sandbox, SandboxUser, start_sandbox
from bot.sandbox.delivery import DeliveryTiming
from tests.sandbox.conftest import STUDENT, TUTOR
from tests.sandbox.webhook_receiver import Receiver, first_webhook_error, free_port, receiving

FAST_RETRIES = DeliveryTiming(timeout=10.0, first_retry=0.05, max_retry=0.2)


@pytest.fixture
async def receiver(sandbox: Sandbox) -> AsyncIterator[Receiver]:
    sandbox.emulator.delivery.timing = FAST_RETRIES
    async with receiving() as receiver:
        yield receiver


async def call(sandbox: Sandbox, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """Call the emulator over plain HTTP and return Telegram's status and body."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{sandbox.api_base_url}{sandbox.token}/{method}", json=params) as response,
    ):
        return response.status, await response.json()


async def test_updates_arrive_with_the_secret_header_in_each_chats_order(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, secret_token="s3cret_Token-1")
    sent = [(user, f"{user.first_name} {n}") for n in range(8) for user in (STUDENT, TUTOR)]

    for user, text in sent:
        await sandbox.emulator.user_sends(user.user, text)
    await receiver.wait_until(lambda: len(receiver.deliveries) == len(sent))

    assert {d.secret for d in receiver.deliveries} == {"s3cret_Token-1"}
    for user in (STUDENT, TUTOR):
        arrived = [d.text for d in receiver.deliveries if d.chat_id == user.telegram_id]
        assert arrived == [text for sender, text in sent if sender is user]
    ids = [d.update["update_id"] for d in receiver.deliveries]
    assert sorted(ids) == list(range(1, len(sent) + 1))


async def test_no_secret_header_without_a_secret(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url)
    await sandbox.emulator.user_sends(STUDENT.user, "hello")
    await receiver.wait_until(lambda: len(receiver.deliveries) == 1)
    assert receiver.deliveries[0].secret is None


async def test_at_most_max_connections_requests_are_open_at_once(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    receiver.gate = asyncio.Event()
    await bot.set_webhook(receiver.url, max_connections=3)
    people = [SandboxUser(8000 + n, f"Person {n}") for n in range(6)]

    for person in people:
        await sandbox.emulator.user_sends(person, "hi")
    await receiver.wait_until(lambda: receiver.active == 3)
    await asyncio.sleep(0.2)  # room for a fourth request, were the limit not kept
    receiver.gate.set()
    await receiver.wait_until(lambda: len(receiver.deliveries) == len(people))

    assert receiver.peak == 3


async def test_a_failed_delivery_is_retried_and_reported_in_the_webhook_info(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    receiver.statuses = [500, 500]
    await bot.set_webhook(receiver.url)

    await sandbox.emulator.user_sends(STUDENT.user, "again and again")
    await receiver.wait_until(lambda: len(receiver.deliveries) == 3)

    assert {d.update["update_id"] for d in receiver.deliveries} == {1}
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.last_error_date is not None
    assert await sandbox.emulator.state.signal.wait_until(
        lambda: not sandbox.emulator.state.updates.pending, 5
    )  # the third answer (200) confirmed it


async def test_an_update_stays_pending_while_its_delivery_fails(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    receiver.failing = True
    await bot.set_webhook(receiver.url)
    await sandbox.emulator.user_sends(STUDENT.user, "stuck")
    await receiver.wait_until(lambda: len(receiver.deliveries) >= 2)

    assert (await bot.get_webhook_info()).pending_update_count == 1


async def test_a_chats_next_update_waits_for_the_one_that_failed(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    receiver.statuses = [503, 503]
    await bot.set_webhook(receiver.url)

    await sandbox.emulator.user_sends(STUDENT.user, "first")
    await sandbox.emulator.user_sends(STUDENT.user, "second")
    await receiver.wait_until(lambda: any(d.text == "second" for d in receiver.deliveries))

    assert [d.text for d in receiver.deliveries] == ["first", "first", "first", "second"]


async def test_a_refused_connection_is_retried_until_the_webhook_listens(
    sandbox: Sandbox, bot: Bot
) -> None:
    sandbox.emulator.delivery.timing = FAST_RETRIES
    port = free_port()
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook")
    await sandbox.emulator.user_sends(STUDENT.user, "anyone there?")

    assert (await first_webhook_error(sandbox, bot)).last_error_message == "Connection refused"

    async with receiving(port) as receiver:
        await receiver.wait_until(lambda: len(receiver.deliveries) == 1)
    assert receiver.deliveries[0].text == "anyone there?"


async def test_a_slow_answer_times_out_and_the_update_is_sent_again(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    sandbox.emulator.delivery.timing = DeliveryTiming(timeout=0.3, first_retry=0.05)
    receiver.slow_first = 2.0
    await bot.set_webhook(receiver.url)

    await sandbox.emulator.user_sends(STUDENT.user, "slow")
    await receiver.wait_until(lambda: len(receiver.deliveries) == 2)

    assert [d.text for d in receiver.deliveries] == ["slow", "slow"]  # Telegram repeats it too
    assert (await bot.get_webhook_info()).last_error_message == "Read timeout expired"


async def test_a_method_in_the_webhooks_answer_is_executed(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    def answer(update: dict[str, Any]) -> dict[str, Any]:
        chat_id = update["message"]["chat"]["id"]
        return {"method": "sendMessage", "chat_id": chat_id, "text": "Answered in the reply"}

    receiver.reply = answer
    await bot.set_webhook(receiver.url)

    await sandbox.emulator.user_sends(STUDENT.user, "hi")

    message = await sandbox.emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert message.text == "Answered in the reply"


async def test_get_updates_is_refused_while_a_webhook_is_set(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    waiting = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    await asyncio.sleep(0.05)
    await bot.set_webhook(receiver.url)

    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await asyncio.wait_for(waiting, 5)
    status, body = await call(sandbox, "getUpdates")
    assert (status, body["description"]) == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )


async def test_delete_webhook_returns_to_polling_with_the_pending_updates(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    receiver.failing = True
    await bot.set_webhook(receiver.url)
    await sandbox.emulator.user_sends(STUDENT.user, "kept")
    await receiver.wait_until(lambda: len(receiver.deliveries) >= 1)

    await bot.delete_webhook()
    attempts = len(receiver.deliveries)
    await sandbox.emulator.user_sends(STUDENT.user, "later")

    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["kept", "later"]
    assert len(receiver.deliveries) == attempts  # nothing posted after deleteWebhook
    assert (await bot.get_webhook_info()).url == ""


async def test_delete_webhook_can_drop_the_pending_updates(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    receiver.failing = True
    await bot.set_webhook(receiver.url)
    await sandbox.emulator.user_sends(STUDENT.user, "dropped")
    await receiver.wait_until(lambda: len(receiver.deliveries) >= 1)

    await bot.delete_webhook(drop_pending_updates=True)

    assert await bot.get_updates(timeout=0) == ()


async def test_webhook_info_reports_the_settings(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(
        receiver.url, max_connections=5, allowed_updates=["message", "callback_query"]
    )

    info = await bot.get_webhook_info()

    assert info.url == receiver.url
    assert info.has_custom_certificate is False
    assert info.pending_update_count == 0
    assert info.max_connections == 5
    assert info.allowed_updates == ("callback_query", "message")
    assert info.last_error_date is None


async def test_allowed_updates_leave_other_kinds_out(
    sandbox: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url, allowed_updates=["message"])

    await sandbox.emulator.inline_query(STUDENT.user, "not wanted")
    await sandbox.emulator.user_sends(STUDENT.user, "wanted")
    await receiver.wait_until(lambda: len(receiver.deliveries) == 1)

    assert receiver.deliveries[0].text == "wanted"


@pytest.mark.parametrize(
    "url", ["ftp://example.com/hook", "http://", "http://exa mple.com/", "http://x:99999/"]
)
async def test_an_invalid_webhook_url_is_refused(sandbox: Sandbox, bot: Bot, url: str) -> None:
    status, body = await call(sandbox, "setWebhook", url=url)

    assert (status, body["description"]) == (400, "Bad Request: invalid webhook URL specified")
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates(timeout=0) == ()  # still polling


@pytest.mark.parametrize(
    ("secret", "description"),
    [
        ("with space", "Bad Request: secret token contains unallowed characters"),
        ("a+b/c=", "Bad Request: secret token contains unallowed characters"),
        ("ключ", "Bad Request: secret token contains unallowed characters"),
        ("x" * 257, "Bad Request: secret token is too long"),
    ],
)
async def test_an_invalid_secret_token_is_refused(
    sandbox: Sandbox, bot: Bot, secret: str, description: str
) -> None:
    status, body = await call(
        sandbox, "setWebhook", url="https://example.com/hook", secret_token=secret
    )

    assert (status, body["description"]) == (400, description)
    assert (await bot.get_webhook_info()).url == ""


async def test_a_256_character_secret_is_accepted(sandbox: Sandbox, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.com/hook", secret_token="A_z-9" * 51 + "x")
    assert (await bot.get_webhook_info()).url == "https://example.com/hook"


async def test_delivery_stops_when_the_sandbox_stops() -> None:
    sandbox = await start_sandbox("127.0.0.1", 0)
    async with (
        receiving() as receiver,
        Bot(sandbox.token, base_url=sandbox.api_base_url) as own_bot,
    ):
        receiver.gate = asyncio.Event()  # the answer never comes while the sandbox runs
        await own_bot.set_webhook(receiver.url)
        await sandbox.emulator.user_sends(STUDENT.user, "held")
        await receiver.wait_until(lambda: receiver.active == 1)

        await sandbox.stop()

        assert not sandbox.emulator.delivery.running
