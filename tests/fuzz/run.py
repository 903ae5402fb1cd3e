"""Run fuzzed updates through the application; count crashes and replies Telegram would refuse."""

from dataclasses import dataclass, field
from typing import Any

from telegram import Update

from bot.app import SchoolApplication
from bot.chat.context import Context
from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.params import Params
from bot.sandbox.validation import (
    CALLBACK_ANSWER_LIMIT,
    MESSAGE_LIMIT,
    caption,
    message_text,
    parse_formatted,
    reply_markup,
)
from models.access import AccessDenied
from tests.fake_telegram import Call, RecordingRequest
from tests.fuzz.updates import UpdateFuzzer

CAPTIONED = {"sendDocument", "sendPhoto", "editMessageCaption"}


class FileServingTelegram(RecordingRequest):
    """The recording fake, also answering getFile so that uploaded documents can be read."""

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getFile":
            return {
                "file_id": params.get("file_id", "f"),
                "file_unique_id": "u",
                "file_size": 64,
                "file_path": "documents/file.csv",
            }
        return super()._result(method, params)


def _check_inline(params: dict[str, Any]) -> None:
    results = params.get("results") or []
    if len(results) > 50:
        raise bad_request("RESULTS_TOO_MUCH")
    for result in results:
        content = result.get("input_message_content") or {}
        text, _entities = parse_formatted(
            content.get("message_text", ""), content.get("parse_mode"), content.get("entities")
        )
        if not text or len(text) > MESSAGE_LIMIT:
            raise bad_request("MESSAGE_TEXT_INVALID")
        reply_markup(result.get("reply_markup"))


def check_call(call: Call) -> None:
    """Raise the sandbox's ApiError if Telegram would refuse this call's text or markup."""
    params = Params(call.params)
    if call.method in {"sendMessage", "editMessageText"}:
        message_text(params)
    elif call.method in CAPTIONED:
        caption(params)
    elif call.method == "answerCallbackQuery":
        if len(str(call.params.get("text") or "")) > CALLBACK_ANSWER_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
    elif call.method == "answerInlineQuery":
        _check_inline(call.params)
    reply_markup(call.params.get("reply_markup"))


@dataclass
class FuzzResult:
    """What a run found: crashes that reached the error handler, replies Telegram refuses."""

    updates: int = 0
    errors: list[str] = field(default_factory=list)
    bad_replies: list[str] = field(default_factory=list)


def describe(update: Update) -> str:
    """A short, printable account of an update for a failure message."""
    query = update.callback_query
    message = update.effective_message
    if query is not None:
        what = f"button {query.data!r}"
    elif update.inline_query is not None:
        what = f"inline {update.inline_query.query[:60]!r}"
    elif message is not None:
        what = f"{message.chat.type} {(message.text or message.caption or '')[:60]!r}"
    else:
        what = "membership" if update.my_chat_member else "other"
    user = update.effective_user
    return f"update {update.update_id} from {user.id if user else None}: {what}"


async def run_fuzz(
    application: SchoolApplication,
    telegram: RecordingRequest,
    fuzzer: UpdateFuzzer,
    count: int,
) -> FuzzResult:
    """Feed `count` fuzzed updates to the application and check every call it made."""
    result = FuzzResult()
    current: list[Update] = []

    async def record_error(update: object, context: Context) -> None:
        if context.error is not None and not isinstance(context.error, AccessDenied):
            where = describe(current[0]) if current else "outside an update"
            result.errors.append(f"{where}: {context.error!r}")

    application.add_error_handler(record_error)
    try:
        for _ in range(count):
            update = fuzzer.update()
            current[:] = [update]
            telegram.clear()
            await application.process_update(update)
            result.updates += 1
            for call in telegram.calls:
                try:
                    check_call(call)
                except ApiError as refused:
                    result.bad_replies.append(f"{describe(update)}: {call.method} {refused}")
    finally:
        application.remove_error_handler(record_error)
    return result
