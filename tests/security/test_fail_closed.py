"""Fail closed: when the sender cannot be identified, no feature handler runs for the update."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import make_url

from bot.app import SchoolApplication
from bot.db import SessionMaker, create_engine, make_sessionmaker
from tests.fake_telegram import RecordingRequest, callback_update, text_update
from tests.records_data import STUDENT, Records

APOLOGY = "Sorry, something went wrong on our side. Please try again in a minute."


@pytest.fixture
async def dropped(database_url: str, tmp_path: Path) -> AsyncIterator[SessionMaker]:
    """A sessionmaker on a database that is gone: every connection attempt really fails."""
    url = make_url(database_url)
    if url.drivername.startswith("sqlite"):
        url = url.set(database=str(tmp_path / "dropped" / "school.db"))  # no such folder
    else:
        url = url.set(database=f"{url.database}_dropped")  # never created
    engine = create_engine(url.render_as_string(hide_password=False))
    yield make_sessionmaker(engine)
    await engine.dispose()


async def test_no_feature_handler_runs_with_the_identity_of_an_earlier_update(
    app: SchoolApplication,
    telegram: RecordingRequest,
    records: Records,
    dropped: SessionMaker,
) -> None:
    await app.process_update(text_update(app.bot, "/absences", STUDENT))
    assert "unexcused: 3" in telegram.last_text(STUDENT.id)
    working, app.bot_data.sessionmaker = app.bot_data.sessionmaker, dropped
    telegram.clear()
    await app.process_update(text_update(app.bot, "/help", STUDENT))  # /help needs no database
    app.bot_data.sessionmaker = working
    assert telegram.texts(STUDENT.id) == [APOLOGY]
    assert "viewer" not in app.user_data[STUDENT.id]


async def test_a_button_pressed_while_the_database_is_down_gets_one_answer(
    app: SchoolApplication,
    telegram: RecordingRequest,
    records: Records,
    dropped: SessionMaker,
) -> None:
    await app.process_update(text_update(app.bot, "/absences", STUDENT))
    working, app.bot_data.sessionmaker = app.bot_data.sessionmaker, dropped
    telegram.clear()
    await app.process_update(callback_update(app.bot, "lang:set:en", STUDENT))
    app.bot_data.sessionmaker = working
    assert [(c.method, c.params.get("text")) for c in telegram.calls] == [
        ("answerCallbackQuery", APOLOGY)
    ]


async def test_the_bot_answers_again_once_the_database_is_back(
    app: SchoolApplication,
    telegram: RecordingRequest,
    records: Records,
    dropped: SessionMaker,
) -> None:
    working, app.bot_data.sessionmaker = app.bot_data.sessionmaker, dropped
    await app.process_update(text_update(app.bot, "/absences", STUDENT))
    app.bot_data.sessionmaker = working
    await app.process_update(text_update(app.bot, "/absences", STUDENT))
    assert "unexcused: 3" in telegram.last_text(STUDENT.id)
