"""Menu buttons: a pressed reply-keyboard label runs its command, in any of our languages."""

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.chat.commands import command_for_label
from bot.chat.context import Context
from bot.i18n import LANGUAGES


class MenuLabel(filters.MessageFilter):
    """Match a text message that is one of the menu's labels in any language."""

    def filter(self, message: object) -> bool:
        text = getattr(message, "text", None)
        return isinstance(text, str) and command_for_label(text, LANGUAGES) is not None


async def run_menu_command(update: Update, context: Context) -> None:
    """Run the command behind the pressed button, as if it had been typed without arguments."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = command_for_label(message.text, LANGUAGES)
    callback = context.bot_data.commands.get(command or "")
    if callback is not None:
        context.args = []
        await callback(update, context)


HANDLERS = [MessageHandler(filters.ChatType.PRIVATE & MenuLabel(), run_menu_command)]
