"""The chat page in headless Chromium: pick a persona, chat with a real polling bot, press."""

from pathlib import Path

import pytest
from playwright.async_api import expect

from bot.sandbox import Sandbox
from tests.chromium import browser
from tests.sandbox.conftest import STUDENT
from tests.sandbox.echo_bot import EchoApp


@pytest.mark.browser
async def test_chat_page_round_trip(
    chromium: Path,
    sandbox: Sandbox,
    echo_app: EchoApp,
    tmp_path: Path,
) -> None:
    async with browser(chromium, tmp_path / "profile") as context:
        page = context.pages[0] if context.pages else await context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        await page.goto(sandbox.url)
        await page.get_by_test_id(f"persona-{STUDENT.key}").click()
        await expect(page.get_by_test_id("chat-name")).to_contain_text(STUDENT.label)

        await page.get_by_test_id("message-input").fill("Hello <bot> & friends")
        await page.get_by_test_id("send-button").click()

        reply = page.locator('[data-testid="message"][data-from="bot"]').last
        await expect(reply.get_by_test_id("message-text")).to_contain_text(
            "You said: Hello <bot> & friends"
        )
        await expect(reply.locator("strong")).to_have_text("Hello <bot> & friends")
        await reply.get_by_role("button", name="Page 2").click()

        await expect(page.get_by_test_id("toast")).to_have_text("Pressed page:2")
        await expect(reply.get_by_test_id("message-text")).to_contain_text("Pressed: page:2")
        await expect(reply).to_contain_text("edited")
        await expect(reply.get_by_test_id("inline-button")).to_have_count(0)

        await page.get_by_test_id("message-input").fill("/keyboard")
        await page.get_by_test_id("message-input").press("Enter")
        await expect(page.get_by_test_id("reply-button")).to_have_count(3)
        await page.get_by_test_id("reply-button").filter(has_text="Maybe").click()
        await expect(page.locator('[data-from="user"]').last).to_contain_text("Maybe")
        await page.get_by_test_id("message-input").fill("/menu")
        await page.get_by_test_id("send-button").click()
        await expect(page.get_by_test_id("reply-button")).to_have_count(7)
        for number in range(1, 6):  # the list keeps following new messages under a keyboard
            await page.get_by_test_id("message-input").fill(f"line {number}\n" * 6)
            await page.get_by_test_id("send-button").click()
            newest = page.locator('[data-from="bot"]').last
            await expect(newest).to_contain_text(f"line {number}")
            await expect(newest).to_be_in_viewport()

        await page.get_by_test_id("attach-input").set_input_files(
            {"name": "grades.csv", "mimeType": "text/csv", "buffer": b"name;mark\nA;9\n"}
        )
        await expect(page.get_by_test_id("protected-badge")).to_have_count(1)
        await expect(page.get_by_test_id("document-link").last).to_have_text("reversed.bin")

        await page.get_by_test_id("message-input").fill("/photo")
        await page.get_by_test_id("send-button").click()
        await expect(page.get_by_test_id("photo")).to_have_count(1)

        shot = tmp_path / "chat.png"
        await page.screenshot(path=str(shot))
    assert failed == []  # the favicon included
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert shot.stat().st_size > 20_000
