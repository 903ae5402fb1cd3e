"""A seeded generator of hostile updates of every kind Telegram sends, built from real patterns."""

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterable

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    ChatMember,
    ChatMemberUpdated,
    Document,
    InaccessibleMessage,
    InlineQuery,
    MaybeInaccessibleMessage,
    Message,
    MessageEntity,
    Update,
    User,
)

from tests.fake_telegram import BOT_ACCOUNT
from tests.fuzz.school import Cast

PIECES = (
    "",
    " ",
    "\x00",
    "\x01\x02",
    "\x1b[31m",
    "\x7f",
    "\u202e",
    "\u200b",
    "\ufeff",
    "<b>",
    "</i>",
    "<a href='x'>",
    "&amp;",
    "&",
    "<",
    ">",
    "'\"",
    "\\",
    "%s",
    "%(x)s",
    "{}",
    "{0}",
    "{name}",
    "²",
    "٣",
    "１２",
    "𝟙",
    "😀",
    "👨‍👩‍👧",
    "Ā",
    "ё",
    "ß",
    "AM-21",
    "am21",
    "KS-21",
    "ZZ-99",
    "2026-13",
    "2026-01",
    "999999999999",
    "-1",
    "0",
    "2147483648",
    "NaN",
    "1e9",
    "course:²",
    "course:3",
    "course:0",
    "all",
    "group:AM-21",
    "group:",
    "teacher:T1",
    "\n",
    "\t",
    "\r\n",
    "' OR 1=1 --",
    "Anna",
    "Kalniņa",
    "сколько у меня пропусков",
    "rīt",
    "šodien",
    "marks",
    "/absences",
    "@school_bot",
    "check",
    "at 25:99",
    "tomorrow 08:00",
    "#",
    "*",
    "_",
    "`",
)
JUNK_IDS = ("0", "-1", "2147483647", "2147483648", "9999999999", "١٢", "", "01", "1e3", "²")
JUNK_MONTHS = ("2026-13", "0000-00", "9999-99", "2026-1", "２０２６-01", "1999-12", "2026-00")
JUNK_DAYS = ("20260230", "00000000", "99999999", "2026010", "２０２６０１０１")
WORDS = {
    "tgr": ("g", "t", "r"),
    "dw": ("d", "w"),
    "lang": ("lv", "ru", "en"),
    "onoff": ("on", "off"),
    "who": ("who", "remind"),
    "ann": ("send", "sendack", "cancel"),
    "key": ("matematika", "psychologist", "library", "a" * 30),
    "yesno": ("no",),
}
# The callback data the handlers make, one field in braces each. "forget:yes" is left out:
# it would unlink the very accounts that make the other buttons reach deep.
TEMPLATES = (
    "ab:m:{month}",
    "ab:s:{id}:{month}",
    "mk:m:{month}",
    "tt:{tgr}:{id}:{day}:{dw}",
    "lang:set:{lang}",
    "settings:changes:{onoff}",
    "ack:{id}",
    "ack:{who}:{id}",
    "ann:{ann}:{id}",
    "cs:t:{id}",
    "cs:k:{key}",
    "forget:{yesno}",
)
SEPARATORS = (" ", "", "  ", "\n", "\t")
COMMANDS_OUTSIDE = ("unknown", "START", "absences@school_bot", "absences@other_bot", "", "a" * 40)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class UpdateFuzzer:
    """Make updates one at a time; the same seed makes the same updates."""

    def __init__(self, seed: int, bot: Bot, cast: Cast, commands: Iterable[str]) -> None:
        self.rng = random.Random(seed)
        self.bot = bot
        self.cast = cast
        self.commands = sorted(commands) + list(COMMANDS_OUTSIDE)
        self._ids = itertools.count(10_000_000)
        self.today = dt.datetime.now(dt.UTC).date()
        self.kinds: list[tuple[int, Callable[[], Update]]] = [
            (20, self.text),
            (25, self.command),
            (25, self.button),
            (5, self.edited),
            (8, self.group_message),
            (3, self.channel_post),
            (7, self.inline),
            (4, self.document),
            (3, self.membership),
        ]

    # Pieces -------------------------------------------------------------------------------
    def junk(self, parts: int = 6) -> str:
        """A few pieces: known trouble, random characters from many scripts, numbers."""
        chosen = []
        for _ in range(self.rng.randint(0, parts)):
            roll = self.rng.random()
            if roll < 0.55:
                chosen.append(self.rng.choice(PIECES))
            elif roll < 0.85:
                chosen.append(self._characters(self.rng.randint(1, 12)))
            else:
                chosen.append(str(self.rng.randint(-(2**40), 2**40)))
        text = self.rng.choice((" ", "", "\n")).join(chosen)
        if self.rng.random() < 0.02:  # now and then, a message at Telegram's length limit
            text = (text + self._characters(64)) * 80
        return text[:4096]

    def _characters(self, count: int) -> str:
        blocks = (
            (0x20, 0x7E),
            (0x00, 0x1F),
            (0xA0, 0x24F),
            (0x400, 0x4FF),
            (0x600, 0x6FF),
            (0x2000, 0x206F),
            (0x1F300, 0x1F6FF),
            (0x4E00, 0x4E80),
        )
        low, high = self.rng.choice(blocks)
        return "".join(chr(self.rng.randint(low, high)) for _ in range(count))

    def user(self) -> User:
        if self.rng.random() < 0.9:
            return self.rng.choice(self.cast.users)
        name = self.junk(2) or "x"
        language = self.rng.choice(("lv", "ru", "en", "uk", None, "x" * 8))
        user = User(
            self.rng.randint(1, 2**40),
            name,
            False,
            language_code=language,
            username=self.rng.choice((None, "user_1", self.junk(1))),
        )
        user.set_bot(self.bot)
        return user

    def _month(self) -> str:
        if self.rng.random() < 0.7:
            first = self.today.replace(day=1) - dt.timedelta(days=31 * self.rng.randint(-2, 12))
            return f"{first:%Y-%m}"
        return self.rng.choice(JUNK_MONTHS)

    def _day(self) -> str:
        if self.rng.random() < 0.7:
            return f"{self.today + dt.timedelta(days=self.rng.randint(-40, 40)):%Y%m%d}"
        return self.rng.choice(JUNK_DAYS)

    def _id(self) -> str:
        if self.rng.random() < 0.7:
            return str(self.rng.choice(self.cast.ids))
        return self.rng.choice(JUNK_IDS)

    def callback_data(self) -> str:
        """Real button data with mutated fields, now and then mangled, at most 64 bytes."""
        if self.rng.random() < 0.05:
            data = self.junk(3)
        else:
            data = self.rng.choice(TEMPLATES)
            for name in ("month", "day", "id"):
                while "{" + name + "}" in data:
                    value = {"month": self._month, "day": self._day, "id": self._id}[name]()
                    data = data.replace("{" + name + "}", value, 1)
            for name, choices in WORDS.items():
                value = self.rng.choice(choices) if self.rng.random() < 0.85 else self.junk(1)
                data = data.replace("{" + name + "}", value)
            if self.rng.random() < 0.15:
                data = self._mangle(data)
        return data.encode()[:64].decode(errors="ignore")

    def _mangle(self, data: str) -> str:
        at = self.rng.randint(0, len(data))
        roll = self.rng.random()
        if roll < 0.3:
            return data[:at]
        if roll < 0.6:
            return data[:at] + self._characters(1) + data[at + 1 :]
        return data[:at] + self.junk(1) + data[at:]

    # Messages -----------------------------------------------------------------------------
    def _message(self, chat: Chat, user: User | None, **fields: object) -> Message:
        text = fields.get("text")
        entities: tuple[MessageEntity, ...] = ()
        if isinstance(text, str) and text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.split() else "/"
            entities = (MessageEntity(MessageEntity.BOT_COMMAND, 0, utf16_length(command)),)
        message = Message(
            next(self._ids),
            dt.datetime.now(dt.UTC),
            chat,
            from_user=user,
            entities=entities,
            **fields,  # type: ignore[arg-type]  # the fields Message takes
        )
        message.set_bot(self.bot)
        return message

    def _update(self, **fields: object) -> Update:
        update = Update(next(self._ids), **fields)  # type: ignore[arg-type]  # one kind each
        update.set_bot(self.bot)
        return update

    def _private(self, user: User) -> Chat:
        return Chat(user.id, Chat.PRIVATE)

    def _group(self) -> Chat:
        kind = self.rng.choice((Chat.GROUP, Chat.SUPERGROUP))
        return Chat(-self.rng.randint(1, 10**12), kind, title=self.junk(2) or "Group")

    def _command_text(self) -> str:
        name = self.rng.choice(self.commands)
        return f"/{name}{self.rng.choice(SEPARATORS)}{self.junk()}"

    def text(self) -> Update:
        user = self.user()
        return self._update(message=self._message(self._private(user), user, text=self.junk()))

    def command(self) -> Update:
        user = self.user()
        text = self._command_text()
        return self._update(message=self._message(self._private(user), user, text=text))

    def edited(self) -> Update:
        user = self.user()
        text = self.rng.choice((self._command_text(), self.junk()))
        message = self._message(
            self._private(user), user, text=text, edit_date=dt.datetime.now(dt.UTC)
        )
        return self._update(edited_message=message)

    def group_message(self) -> Update:
        user = self.user()
        text = self.rng.choice((self._command_text(), self.junk()))
        return self._update(message=self._message(self._group(), user, text=text))

    def channel_post(self) -> Update:
        chat = Chat(-(10**12) - self.rng.randint(1, 10**6), Chat.CHANNEL, title="Channel")
        text = self.rng.choice((self._command_text(), self.junk()))
        return self._update(channel_post=self._message(chat, None, text=text, sender_chat=chat))

    def inline(self) -> Update:
        inline = InlineQuery(
            str(next(self._ids)),
            self.user(),
            self.junk()[:256],
            "",
            chat_type=self.rng.choice((None, "sender", "private", "group", "channel")),
        )
        inline.set_bot(self.bot)
        return self._update(inline_query=inline)

    def button(self) -> Update:
        user = self.user()
        chat = self._private(user) if self.rng.random() < 0.9 else self._group()
        message: MaybeInaccessibleMessage
        if self.rng.random() < 0.05:  # a message older than 48 hours
            message = InaccessibleMessage(chat, self.rng.randint(1, 10**6))
        else:
            message = Message(
                self.rng.randint(1, 10**6),
                dt.datetime.now(dt.UTC),
                chat,
                from_user=BOT_ACCOUNT,
                text="…",
            )
        message.set_bot(self.bot)
        query = CallbackQuery(
            str(next(self._ids)), user, str(chat.id), message=message, data=self.callback_data()
        )
        query.set_bot(self.bot)
        return self._update(callback_query=query)

    def document(self) -> Update:
        user = self.rng.choice((self.cast.admin, self.user()))
        name = (self.junk(2) or "file") + self.rng.choice((".csv", ".xlsx", ".pdf", "", ".CSV"))
        document = Document(
            f"file{next(self._ids)}",
            "unique",
            file_name=name[:255],
            mime_type=self.rng.choice(("text/csv", "application/octet-stream", None)),
            file_size=self.rng.choice((None, 10, 10**9)),
        )
        document.set_bot(self.bot)
        caption = self.rng.choice((None, "", "check", "/announce all " + self.junk(), self.junk()))
        chat = self._private(user)
        message = self._message(chat, user, document=document, caption=caption)
        return self._update(message=message)

    def membership(self) -> Update:
        user = self.user()
        chat = self.rng.choice((self._private(user), self._group(), Chat(-(10**12), "channel")))
        statuses = ("member", "administrator", "restricted", "kicked", "left")
        change = ChatMemberUpdated(
            chat,
            user,
            dt.datetime.now(dt.UTC),
            ChatMember(BOT_ACCOUNT, self.rng.choice(statuses)),
            ChatMember(BOT_ACCOUNT, self.rng.choice(statuses)),
        )
        return self._update(my_chat_member=change)

    def update(self) -> Update:
        """Return the next update, its kind drawn by weight."""
        weights = [weight for weight, _maker in self.kinds]
        makers = [maker for _weight, maker in self.kinds]
        maker = self.rng.choices(makers, weights=weights)[0]
        return maker()
