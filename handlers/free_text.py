"""Free text in any of our languages ("rīt", "завтра", "AM-21") runs the command it means."""

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.chat.context import Context
from bot.chat.intents import Intent, IntentKind, classify, looks_like_group_code
from handlers.fallback import not_understood

# Personal questions never take arguments from free text: "marks of <someone>" is "my marks".
_PERSONAL = {IntentKind.PRACTICE, IntentKind.ABSENCES, IntentKind.MARKS, IntentKind.HELP}
_DAY_VIEWS = {IntentKind.TODAY, IntentKind.TOMORROW, IntentKind.WEEK}


def route(intent: Intent) -> tuple[str, list[str]]:
    """Return the command and arguments that answer an intent."""
    words = intent.rest.split()[:5]
    if intent.kind in _PERSONAL:
        return intent.kind.value, []
    if intent.kind in _DAY_VIEWS:
        # "AM-21 rīt" asks for a group's timetable, not the sender's own.
        return ("timetable", words) if words else (intent.kind.value, [])
    if intent.kind is IntentKind.LOOKUP:
        return ("timetable" if looks_like_group_code(intent.rest) else "consult"), words
    return intent.kind.value, words


async def answer_free_text(update: Update, context: Context) -> None:
    """Classify the message and run the matching command, or say what we can do instead."""
    message = update.effective_message
    assert message is not None and message.text is not None
    intent = classify(message.text)
    if intent is not None:
        command, args = route(intent)
        callback = context.bot_data.commands.get(command)
        if callback is not None:
            context.args = args
            await callback(update, context)
            return
    await not_understood(update, context)


HANDLERS = [
    MessageHandler(
        filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & ~filters.UpdateType.EDITED,
        answer_free_text,
    )
]
