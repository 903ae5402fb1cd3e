"""PTB's own webhook server fed by the emulator: the echo bot answers; a wrong secret is refused."""

from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot

from bot.sandbox import Sandbox
from tests.sandbox.conftest import STUDENT, running_echo_app
from tests.sandbox.echo_bot import EchoApp
from tests.sandbox.webhook_receiver import first_webhook_error, free_port

SECRET = "echo-bot_secret"


@pytest.fixture
async def webhook_app(sandbox: Sandbox) -> AsyncIterator[tuple[EchoApp, str]]:
    """The echo bot receiving updates on PTB's webhook server; yields it and its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    async with running_echo_app(
        sandbox,
        lambda updater: updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="telegram",
            webhook_url=url,
            secret_token=SECRET,
        ),
    ) as application:
        yield application, url


async def test_the_bot_answers_a_message_received_by_webhook(
    sandbox: Sandbox, bot: Bot, webhook_app: tuple[EchoApp, str]
) -> None:
    _, url = webhook_app
    assert (await bot.get_webhook_info()).url == url

    await sandbox.emulator.user_sends(STUDENT.user, "over the hook")

    reply = await sandbox.emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert reply.text == "You said: over the hook"


async def test_a_button_press_reaches_the_bot_by_webhook(
    sandbox: Sandbox, webhook_app: tuple[EchoApp, str]
) -> None:
    await sandbox.emulator.user_sends(STUDENT.user, "buttons please")
    reply = await sandbox.emulator.wait_for_bot_message(STUDENT.telegram_id)

    query_id = await sandbox.emulator.press_button(STUDENT.user, reply.message_id, "like")

    assert (await sandbox.emulator.callback_answer(query_id))["text"] == "Pressed like"


async def test_writing_from_the_chat_page_reaches_the_bot_by_webhook(
    sandbox: Sandbox, webhook_app: tuple[EchoApp, str]
) -> None:
    page_api = f"/api/chats/{STUDENT.telegram_id}/messages"
    async with (
        aiohttp.ClientSession(base_url=sandbox.url) as http,
        http.post(page_api, json={"text": "from the page"}) as response,
    ):
        assert response.status == 200

    reply = await sandbox.emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert reply.text == "You said: from the page"


async def test_a_wrong_secret_is_refused_by_the_bot_and_reported(
    sandbox: Sandbox, bot: Bot, webhook_app: tuple[EchoApp, str]
) -> None:
    _, url = webhook_app
    await bot.set_webhook(url, secret_token="not-the-bots-secret")
    await sandbox.emulator.user_sends(STUDENT.user, "who is this?")

    info = await first_webhook_error(sandbox, bot)
    # PTB answers 403 with this reason phrase; Telegram reports the status line as it came
    assert info.last_error_message == (
        "Wrong response from the webhook: 403 Request had the wrong secret token"
    )
    assert info.pending_update_count == 1
    assert sandbox.emulator.messages_for(STUDENT.telegram_id) == []

    await bot.set_webhook(url, secret_token=SECRET)  # put right, the kept update goes through
    reply = await sandbox.emulator.wait_for_bot_message(STUDENT.telegram_id)
    assert reply.text == "You said: who is this?"
