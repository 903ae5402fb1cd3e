"""First contact: greeting, help by role, language switch, privacy, the fallback, errors."""

from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.db import SessionMaker
from models.accounts import TelegramAccount
from tests.fake_telegram import RecordingRequest, callback_update, make_user, text_update

VISITOR = make_user(5001, first_name="Visitor", language_code="en")
LATVIAN_VISITOR = make_user(5002, first_name="Visitor", language_code="lv")


async def test_start_greets_a_visitor_and_explains_linking(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/start", VISITOR))
    reply = telegram.last(VISITOR.id)
    assert "Hello, Visitor!" in reply.params["text"]
    assert "link code" in reply.params["text"]
    assert "🌐 Language" in telegram.buttons(reply)


async def test_start_registers_the_sender(
    app: SchoolApplication, sessionmaker: SessionMaker
) -> None:
    await app.process_update(text_update(app.bot, "/start", VISITOR))
    async with sessionmaker() as session:
        account = await session.scalar(
            select(TelegramAccount).where(col(TelegramAccount.telegram_id) == VISITOR.id)
        )
    assert account is not None and account.first_name == "Visitor"


async def test_telegram_language_code_picks_the_first_language(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/start", LATVIAN_VISITOR))
    assert "Sveiki, Visitor!" in telegram.last_text(LATVIAN_VISITOR.id)


async def test_help_lists_only_what_a_visitor_may_do(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/help", VISITOR))
    text = telegram.last_text(VISITOR.id)
    assert "/language" in text and "/privacy" in text
    assert "/forget" not in text


async def test_language_switch_is_saved_and_used(
    app: SchoolApplication, telegram: RecordingRequest, sessionmaker: SessionMaker
) -> None:
    await app.process_update(text_update(app.bot, "/language", VISITOR))
    assert telegram.buttons(telegram.last(VISITOR.id)) == [
        "lang:set:lv",
        "lang:set:ru",
        "lang:set:en",
    ]
    await app.process_update(callback_update(app.bot, "lang:set:ru", VISITOR))
    await app.process_update(text_update(app.bot, "/start", VISITOR))
    assert "Здравствуйте, Visitor!" in telegram.last_text(VISITOR.id)


async def test_menu_button_runs_its_command_in_any_language(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "❓ Palīdzība", VISITOR))
    assert "/privacy" in telegram.last_text(VISITOR.id)


async def test_privacy_explains_storage_and_access(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/privacy", VISITOR))
    text = telegram.last_text(VISITOR.id)
    assert "audit log" in text and "/forget" in text


async def test_unknown_command_gets_a_helpful_reply(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(text_update(app.bot, "/frobnicate", VISITOR))
    assert "/help" in telegram.last_text(VISITOR.id)


async def test_hostile_text_gets_an_answer_not_a_crash(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    for text in ["x" * 10_000, "🙂🙂🙂", "שלום עולם", "<b>hi</b>'; DROP TABLE student;--"]:
        await app.process_update(text_update(app.bot, text, VISITOR))
        assert telegram.last_text(VISITOR.id)


async def test_forged_callback_data_is_ignored_politely(
    app: SchoolApplication, telegram: RecordingRequest
) -> None:
    await app.process_update(callback_update(app.bot, "lang:set:xx';--", VISITOR))
    await app.process_update(callback_update(app.bot, "abs:month:9999-99", VISITOR))
    assert not [c for c in telegram.calls if c.method == "editMessageText"]
    answers = [c for c in telegram.calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 2 and "out of date" in answers[0].params["text"]
