"""Bot API methods that answer a person's button press or inline query."""

from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.params import Params
from bot.sandbox.state import Notice
from bot.sandbox.store import SandboxState
from bot.sandbox.validation import CALLBACK_ANSWER_LIMIT, parse_formatted

QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


async def answer_callback_query(state: SandboxState, params: Params) -> Any:
    query = state.callback_queries.get(params.text("callback_query_id") or "")
    if query is None or query.answer is not None:
        raise bad_request(QUERY_INVALID)
    text = params.text("text") or ""
    if len(text) > CALLBACK_ANSWER_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answer = {
        "text": text,
        "show_alert": params.flag("show_alert"),
        "url": params.text("url"),
    }
    if text:
        state.notices.append(
            Notice(state.serial(), query.message.chat.id, text, params.flag("show_alert"))
        )
    state.changed()
    return True


def checked_results(raw: Any) -> list[dict[str, Any]]:
    """Check inline results like Telegram: at most 50, unique ids, valid message content."""
    if not isinstance(raw, list):
        raise bad_request("can't parse results JSON object")
    if len(raw) > 50:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in raw:
        if not isinstance(result, dict) or not isinstance(result.get("type"), str):
            raise bad_request("can't parse InlineQueryResult JSON object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode()) <= 64:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            text, _ = parse_formatted(
                str(content["message_text"]), content.get("parse_mode"), content.get("entities")
            )
            if not text:
                raise bad_request("message text is empty")
    return raw


async def answer_inline_query(state: SandboxState, params: Params) -> Any:
    query = state.inline_queries.get(params.text("inline_query_id") or "")
    if query is None or query.answer is not None:
        raise bad_request(QUERY_INVALID)
    query.answer = checked_results(params.json("results"))
    query.next_offset = params.text("next_offset") or ""
    state.changed()
    return True


METHODS = {
    "answercallbackquery": answer_callback_query,
    "answerinlinequery": answer_inline_query,
}
