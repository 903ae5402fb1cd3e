"""User-facing features, one module each; this package holds their one ordered list."""

from telegram.ext import BaseHandler

from handlers import (
    acknowledge,
    announce,
    attendance,
    calendar_file,
    chat_status,
    codes,
    consultation_hours,
    fallback,
    forget,
    free_text,
    group_chats,
    guardian_add,
    guardian_switch,
    help,
    import_upload,
    inline_search,
    language,
    linking,
    marks_view,
    menu,
    month_digest,
    mydata,
    practice_view,
    privacy,
    private_chats,
    registration,
    settings,
    start,
    stats,
    timetable_days,
)

# (group, handler). Group -2 keeps personal data in private chats (it stops the rest elsewhere);
# group -1 runs for every update next; group 0 holds the features, first
# match wins, so specific handlers come before the menu and the menu before the fallback.
# Group 1 watches chat status alongside whatever group 0 did.
HANDLERS: list[tuple[int, BaseHandler]] = [  # type: ignore[type-arg]  # PTB's generic handlers
    *((-2, handler) for handler in private_chats.HANDLERS),
    *((-1, handler) for handler in registration.HANDLERS),
    *((0, handler) for handler in group_chats.HANDLERS),
    *((0, handler) for handler in linking.HANDLERS),  # before start: /start's menu entry wins
    *((0, handler) for handler in start.HANDLERS),
    *((0, handler) for handler in help.HANDLERS),
    *((0, handler) for handler in language.HANDLERS),
    *((0, handler) for handler in privacy.HANDLERS),
    *((0, handler) for handler in settings.HANDLERS),
    *((0, handler) for handler in guardian_switch.HANDLERS),
    *((0, handler) for handler in guardian_add.HANDLERS),
    *((0, handler) for handler in codes.HANDLERS),
    *((0, handler) for handler in mydata.HANDLERS),
    *((0, handler) for handler in forget.HANDLERS),
    *((0, handler) for handler in announce.HANDLERS),  # before import: /announce captions
    *((0, handler) for handler in import_upload.HANDLERS),
    *((0, handler) for handler in acknowledge.HANDLERS),
    *((0, handler) for handler in stats.HANDLERS),
    *((0, handler) for handler in timetable_days.HANDLERS),
    *((0, handler) for handler in calendar_file.HANDLERS),
    *((0, handler) for handler in inline_search.HANDLERS),
    *((0, handler) for handler in consultation_hours.HANDLERS),
    *((0, handler) for handler in attendance.HANDLERS),
    *((0, handler) for handler in marks_view.HANDLERS),
    *((0, handler) for handler in practice_view.HANDLERS),
    *((0, handler) for handler in month_digest.HANDLERS),
    *((0, handler) for handler in menu.HANDLERS),
    *((0, handler) for handler in free_text.HANDLERS),
    *((0, handler) for handler in fallback.HANDLERS),
    *((1, handler) for handler in chat_status.HANDLERS),
]
