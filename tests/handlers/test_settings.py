"""/settings turns timetable change notices off and on, and forged buttons change nothing."""

from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.accounts import TelegramAccount
from tests.fake_telegram import RecordingRequest, callback_update, make_user, text_update

PERSON = make_user(5301, first_name="Person", language_code="lv")


async def _notify(sessionmaker: SessionMaker) -> bool:
    async with sessionmaker() as session:
        value = await session.scalar(
            select(TelegramAccount.notify_changes).where(
                col(TelegramAccount.telegram_id) == PERSON.id
            )
        )
    assert value is not None
    return value


async def test_settings_show_the_current_choice_with_a_button(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/settings", PERSON))
    reply = telegram.last(PERSON.id)
    assert "ieslēgti" in reply.params["text"]
    assert telegram.buttons(reply) == ["settings:changes:off"]


async def test_turning_notices_off_and_on_is_saved(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await app.process_update(text_update(app.bot, "/settings", PERSON))
    await app.process_update(callback_update(app.bot, "settings:changes:off", PERSON))
    assert not await _notify(sessionmaker)
    assert "izslēgti" in telegram.last_text(PERSON.id)
    await app.process_update(callback_update(app.bot, "settings:changes:on", PERSON))
    assert await _notify(sessionmaker)


async def test_a_forged_settings_button_changes_nothing(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await app.process_update(text_update(app.bot, "/settings", PERSON))
    await app.process_update(callback_update(app.bot, "settings:changes:maybe'; --", PERSON))
    assert await _notify(sessionmaker)
    answer = telegram.calls[-1]
    assert answer.method == "answerCallbackQuery"
