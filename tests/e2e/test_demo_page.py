"""The demo page in headless Chromium: a new student links with their code and gets the menu."""

import re
from pathlib import Path

import pytest
from playwright.async_api import expect

from bot.cli.demo_run import load_personas, start_demo
from bot.config import Settings
from bot.db import SessionMaker
from tests.chromium import browser
from tests.e2e.test_demo_linking import CODE, add_unlinked_persona


@pytest.mark.browser
async def test_new_student_links_on_the_page_and_sees_the_student_menu(
    chromium: Path, settings: Settings, sessionmaker: SessionMaker, tmp_path: Path
) -> None:
    await add_unlinked_persona(sessionmaker)
    demo = await start_demo(settings, sessionmaker, personas=await load_personas(sessionmaker))
    try:
        async with browser(chromium, tmp_path / "profile") as context:
            page = context.pages[0] if context.pages else await context.new_page()
            await page.goto(demo.sandbox.url)
            note = page.get_by_test_id("persona-note-new_student")
            await expect(note).to_contain_text("Link code:")
            match = CODE.search(await note.inner_text())
            assert match is not None

            await page.get_by_test_id("persona-new_student").click()
            await page.get_by_test_id("message-input").fill(f"/start {match.group(1)}")
            await page.get_by_test_id("send-button").click()

            reply = page.locator('[data-testid="message"][data-from="bot"]').last
            await expect(reply.get_by_test_id("message-text")).to_contain_text("Jānis")
            await expect(reply.get_by_test_id("message-text")).to_contain_text("AM-21")
            buttons = page.get_by_test_id("reply-button")
            await expect(buttons.filter(has_text=re.compile("Palīdzība|Help"))).to_have_count(1)
            answers = page.locator('[data-from="bot"]')
            for label in ("🗓", "📝", "🗓", "❓"):  # the newest answer stays in view under the menu
                before = await answers.count()
                await buttons.filter(has_text=label).click()
                await expect(answers).to_have_count(before + 1)
                await expect(answers.last).to_be_in_viewport()

            shot = tmp_path / "linked.png"
            await page.screenshot(path=str(shot))
    finally:
        await demo.stop()
    assert shot.read_bytes().startswith(b"\x89PNG")
