"""No link code reaches a log record, at any level, from the real bot talking HTTP to Telegram."""

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.cli.demo_run import start_demo
from bot.config import Settings
from bot.db import SessionMaker
from bot.logs import configure_logging, redact_text
from bot.sandbox import Persona
from models.linking import issue_code
from tests.builders import add_group, add_student

PERSONA = Persona("new", "A student", "student", 900_000_301, "Jānis", "en")


class Everything(logging.Handler):
    """Keep every record, as a log shipper would see it."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def captured(settings: Settings) -> Iterator[Everything]:
    """Logging as `schoolbot run` sets it up, at DEBUG for every logger, httpx included."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), logging.getLogRecordFactory())
    noisy = [logging.getLogger(name) for name in ("httpx", "httpcore", "telegram", "aiohttp")]
    levels = [logger.level for logger in noisy]
    configure_logging(settings.model_copy(update={"log_level": "DEBUG"}))
    for logger in noisy:
        logger.setLevel(logging.DEBUG)
    handler = Everything()
    root.addHandler(handler)
    yield handler
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    logging.setLogRecordFactory(saved[2])
    for logger, level in zip(noisy, levels, strict=True):
        logger.setLevel(level)


def _all_text(record: logging.LogRecord) -> str:
    formatter = logging.Formatter("%(name)s %(message)s")
    return formatter.format(record)


async def test_no_code_in_any_log_record_at_debug(
    captured: Everything, settings: Settings, sessionmaker: SessionMaker
) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        student = await add_student(session, group=group, number="S-1")
        code = await issue_code(
            session,
            student_id=student.id,
            ttl_days=30,
            now=datetime.now(UTC),
            policy=settings.link_policy,
        )
    plain = code.replace("-", "")
    demo = await start_demo(settings, sessionmaker, personas=[PERSONA])
    try:
        emulator = demo.sandbox.emulator
        await emulator.user_sends(PERSONA.user, "/start ZZZZ 2222")  # a wrong one, split
        await emulator.wait_for_bot_message(PERSONA.telegram_id)
        await emulator.user_sends(PERSONA.user, f"/start {plain.lower()}")
        welcome = await emulator.wait_for_bot_message(PERSONA.telegram_id)
    finally:
        await demo.stop()

    assert welcome.text is not None and "AM-21" in welcome.text  # the code did work
    names = {record.name.split(".")[0] for record in captured.records}
    assert {"telegram", "httpx", "httpcore"} <= names  # PTB's and the HTTP libraries' records
    texts = [_all_text(record) for record in captured.records]
    for secret in (code, plain, plain.lower(), "ZZZZ 2222", "ZZZZ"):
        leaked = [text for text in texts if secret in text]
        assert leaked == [], f"{secret!r} is in {len(leaked)} records, e.g. {leaked[0][:300]}"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("Processing update text='/start K7QM 4XPA'", "Processing update text='/start <hidden>'"),
        ('{"text": "k7qm-4xpa"}', '{"text": "<hidden>"}'),
        ("https://t.me/school_bot?start=K7QM4XPA", "https://t.me/school_bot?start=<hidden>"),
        ("group AM-21 has 23456789 and ABCDEFGH", "group AM-21 has 23456789 and ABCDEFGH"),
    ],
)
def test_code_shapes_and_start_payloads_are_masked(line: str, shown: str) -> None:
    assert redact_text(line, []) == shown


def test_json_lines_hide_a_code_in_a_message_and_a_traceback(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), logging.getLogRecordFactory())
    configure_logging(settings.model_copy(update={"log_format": "json"}))
    try:
        try:
            raise ValueError("no such code: K7QM-4XPA")
        except ValueError:
            logging.getLogger("bot.test").exception("redeeming %s failed", "k7qm4xpa")
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
        logging.setLogRecordFactory(saved[2])
    line = capsys.readouterr().err.strip()
    record = json.loads(line)
    assert record["message"] == "redeeming <hidden> failed"
    assert "no such code: <hidden>" in record["exc_info"]
    assert "K7QM" not in line.upper()
