"""The chat page in headless Chromium: pick a persona, chat with a real polling bot, press."""

from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from bot.sandbox import Sandbox
from tests.sandbox.conftest import STUDENT
from tests.sandbox.echo_bot import EchoApp

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium() -> Path:
    """Return Debian's Chromium, or skip loudly: CI installs it, a laptop may not have it."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not installed: {CHROMIUM} is missing (apt-get install chromium)")
    return CHROMIUM


@pytest.mark.browser
async def test_chat_page_round_trip(
    chromium: Path,
    sandbox: Sandbox,
    echo_app: EchoApp,
    tmp_path: Path,
) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(chromium),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 800},
        )
        try:
            page = browser.pages[0] if browser.pages else await browser.new_page()
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
        finally:
            await browser.close()
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert shot.stat().st_size > 20_000
