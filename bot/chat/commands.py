"""The bot's commands: who may use each, its description, and the reply-keyboard menu."""

from dataclasses import dataclass

from telegram import BotCommand, KeyboardButton, ReplyKeyboardMarkup

from bot.i18n import N_, gettext_for

EVERYONE = frozenset({"visitor", "student", "guardian", "teacher", "tutor", "staff", "admin"})
LINKED = EVERYONE - {"visitor"}
STAFF = frozenset({"teacher", "tutor", "staff", "admin"})
STUDENTS_AND_TUTORS = frozenset({"student", "guardian", "tutor", "admin"})
ADMINS = frozenset({"admin"})


@dataclass(frozen=True)
class Command:
    """A command: its name, a translatable description, who sees it, and its menu label."""

    name: str
    description: str
    roles: frozenset[str]
    menu_label: str | None = None


COMMANDS: tuple[Command, ...] = (
    Command("today", N_("Timetable for today"), EVERYONE - {"staff"}, N_("📅 Today")),
    Command("tomorrow", N_("Timetable for tomorrow"), EVERYONE - {"staff"}, N_("➡️ Tomorrow")),
    Command("week", N_("Timetable for the week"), EVERYONE - {"staff"}, N_("🗓 Week")),
    Command("timetable", N_("Timetable of a group, teacher or room"), EVERYONE),
    Command(
        "consult",
        N_("Consultation hours of a teacher or subject"),
        EVERYONE,
        N_("🕒 Consultations"),
    ),
    Command("practice", N_("Practice placement"), STUDENTS_AND_TUTORS, N_("🏭 Practice")),
    Command(
        "absences", N_("Absences this month and semester"), STUDENTS_AND_TUTORS, N_("📋 Absences")
    ),
    Command("marks", N_("Marks this month"), STUDENTS_AND_TUTORS, N_("📝 Marks")),
    Command("calendar", N_("My timetable as a calendar file"), LINKED),
    Command(
        "students",
        N_("Choose which of my students to see"),
        frozenset({"guardian"}),
        N_("👪 Students"),
    ),
    Command(
        "digest",
        N_("Monthly digest of attendance and marks"),
        frozenset({"tutor", "admin"}),
        N_("📊 Digest"),
    ),
    Command(
        "announce", N_("Send an announcement"), frozenset({"tutor", "admin"}), N_("📣 Announce")
    ),
    Command("guardian", N_("Add a student's guardian"), frozenset({"tutor", "admin"})),
    Command("stats", N_("Delivery of recent announcements"), ADMINS),
    Command("codes", N_("Issue link codes"), ADMINS),
    Command("import", N_("How to import the school's data"), ADMINS),
    Command("groupchats", N_("Group chats allowed for public answers"), ADMINS),
    Command("settings", N_("Notification settings"), LINKED),
    Command("language", N_("Change the language"), EVERYONE, N_("🌐 Language")),
    Command("mydata", N_("Everything stored about me"), EVERYONE),
    Command("forget", N_("Unlink my account and delete my Telegram data"), LINKED),
    Command("privacy", N_("What is stored, why, and who sees it"), EVERYONE),
    Command("help", N_("What I can do"), EVERYONE, N_("❓ Help")),
    Command("start", N_("Start, or link my account with a code"), EVERYONE),
)


def available(role: str, registered: set[str]) -> list[Command]:
    """Return the commands this role may use that the running bot has handlers for."""
    return [c for c in COMMANDS if role in c.roles and c.name in registered]


def bot_commands(language: str, registered: set[str]) -> list[BotCommand]:
    """Return the command list for setMyCommands in one language (what everyone may try)."""
    _ = gettext_for(language)
    return [BotCommand(c.name, _(c.description)) for c in COMMANDS if c.name in registered]


def menu_keyboard(role: str, language: str, registered: set[str]) -> ReplyKeyboardMarkup:
    """Build the persistent reply keyboard for a role, two buttons a row."""
    _ = gettext_for(language)
    labels = [_(c.menu_label) for c in available(role, registered) if c.menu_label]
    rows = [
        [KeyboardButton(label) for label in labels[i : i + 2]] for i in range(0, len(labels), 2)
    ]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def command_for_label(text: str, languages: tuple[str, ...]) -> str | None:
    """Return the command whose menu label (in any language) is this text."""
    stripped = text.strip()
    for language in languages:
        _ = gettext_for(language)
        for command in COMMANDS:
            if command.menu_label and _(command.menu_label) == stripped:
                return command.name
    return None
