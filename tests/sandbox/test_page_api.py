"""The chat page's JSON API: personas, a persona's chat, writing, pressing, files."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.sandbox import Persona, Sandbox
from tests.sandbox.conftest import PERSONAS, STUDENT, TUTOR
from tests.sandbox.echo_bot import EchoApp


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=sandbox.url) as session:
        yield session


async def test_page_and_assets_are_served(http: aiohttp.ClientSession) -> None:
    for path, kind in (
        ("/", "text/html"),
        ("/static/app.js", "javascript"),
        ("/static/style.css", "text/css"),
    ):
        async with http.get(path) as response:
            assert response.status == 200
            assert kind in response.content_type


async def test_personas_are_listed_with_the_bot(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/personas") as response:
        body = await response.json()
    assert body["bot"]["username"] == "school_sandbox_bot"
    assert [p["key"] for p in body["personas"]] == [p.key for p in PERSONAS]
    assert body["personas"][1]["role"] == "tutor"


async def test_writing_from_the_page_reaches_the_bot(
    sandbox: Sandbox, bot: Bot, http: aiohttp.ClientSession
) -> None:
    async with http.post(f"/api/chats/{TUTOR.telegram_id}/messages", json={"text": "/start"}) as r:
        assert r.status == 200
    (update,) = await bot.get_updates(timeout=0)
    assert update.message is not None and update.message.text == "/start"
    assert update.message.from_user is not None and update.message.from_user.language_code == "ru"


async def test_chat_view_shows_bubbles_buttons_keyboard_and_badges(
    sandbox: Sandbox, bot: Bot, http: aiohttp.ClientSession
) -> None:
    await sandbox.emulator.user_sends(STUDENT.user, "hi")
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="n:2")]])
    await bot.send_message(
        STUDENT.telegram_id,
        "<b>Marks</b>",
        parse_mode="HTML",
        reply_markup=buttons,
        protect_content=True,
    )
    await bot.send_message(
        STUDENT.telegram_id, "Menu", reply_markup=ReplyKeyboardMarkup([["Today"]])
    )
    async with http.get(f"/api/chats/{STUDENT.telegram_id}") as response:
        view = await response.json()
    user_bubble, marks, _menu = view["messages"]
    assert (user_bubble["from_bot"], user_bubble["text"]) == (False, "hi")
    assert marks["entities"] == [{"type": "bold", "offset": 0, "length": 5}]
    assert marks["protected"] and marks["buttons"] == [[{"text": "Next", "callback_data": "n:2"}]]
    assert view["keyboard"]["keyboard"] == [[{"text": "Today"}]]


async def test_long_poll_returns_when_the_chat_changes(
    sandbox: Sandbox, bot: Bot, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"/api/chats/{STUDENT.telegram_id}") as response:
        version = (await response.json())["version"]

    async def poll() -> dict[str, Any]:
        async with http.get(f"/api/chats/{STUDENT.telegram_id}?since={version}") as response:
            body: dict[str, Any] = await response.json()
            return body

    waiting = asyncio.create_task(poll())
    await asyncio.sleep(0.05)
    assert not waiting.done()  # nothing changed yet: the request is held open
    await bot.send_message(STUDENT.telegram_id, "news")
    view = await asyncio.wait_for(waiting, 5)
    assert view["version"] > version
    assert [m["text"] for m in view["messages"]] == ["news"]


async def test_pressing_a_button_from_the_page_sends_a_callback_query(
    sandbox: Sandbox, bot: Bot, http: aiohttp.ClientSession
) -> None:
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="ack:1")]])
    sent = await bot.send_message(STUDENT.telegram_id, "Read?", reply_markup=buttons)
    body = {"message_id": sent.message_id, "data": "ack:1"}
    async with http.post(f"/api/chats/{STUDENT.telegram_id}/callbacks", json=body) as response:
        assert response.status == 200
    (update,) = await bot.get_updates(timeout=0)
    assert update.callback_query is not None and update.callback_query.data == "ack:1"
    await update.callback_query.answer("Thanks!")
    async with http.get(f"/api/chats/{STUDENT.telegram_id}") as response:
        assert [n["text"] for n in (await response.json())["notices"]] == ["Thanks!"]
    bad = {"message_id": sent.message_id, "data": "forged"}
    async with http.post(f"/api/chats/{STUDENT.telegram_id}/callbacks", json=bad) as response:
        assert response.status == 400


async def test_file_upload_and_download_through_the_page(
    sandbox: Sandbox, bot: Bot, http: aiohttp.ClientSession
) -> None:
    form = aiohttp.FormData()
    form.add_field("file", b"a,b\n1,2\n", filename="import.csv", content_type="text/csv")
    async with http.post(f"/api/chats/{STUDENT.telegram_id}/files", data=form) as response:
        assert response.status == 200
    (update,) = await bot.get_updates(timeout=0)
    assert update.message is not None and update.message.document is not None
    assert update.message.document.file_name == "import.csv"
    async with http.get(f"/api/chats/{STUDENT.telegram_id}") as response:
        url = (await response.json())["messages"][0]["document"]["url"]
    async with http.get(url) as response:
        assert await response.read() == b"a,b\n1,2\n"
        assert "attachment" in response.headers["Content-Disposition"]


async def test_inline_query_over_http_returns_the_bots_results(
    sandbox: Sandbox, echo_app: EchoApp, http: aiohttp.ClientSession
) -> None:
    body = {"query": "KS-21"}
    async with http.post(f"/api/chats/{TUTOR.telegram_id}/inline", json=body) as response:
        answer = await response.json()
    assert [r["title"] for r in answer["results"]] == ["Echo KS-21"]


async def test_only_personas_have_chats_on_the_page(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/chats/999") as response:
        assert response.status == 404


def test_a_persona_needs_a_known_role() -> None:
    with pytest.raises(ValueError, match="role"):
        Persona("x", "X", "principal", 1, "X")  # type: ignore[arg-type]
