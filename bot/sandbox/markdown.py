"""Telegram's parse_mode=MarkdownV2, turned into plain text plus entities."""

import re
from dataclasses import dataclass

from bot.sandbox.entities import Entity, utf16_len
from bot.sandbox.html_markup import parse_error

RESERVED = "_*[]()~`>#+-=|{}.!"
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
_TOGGLES = (
    ("||", "spoiler"),
    ("__", "underline"),
    ("_", "italic"),
    ("*", "bold"),
    ("~", "strikethrough"),
)


@dataclass
class _Open:
    kind: str
    start: int
    byte_offset: int
    language: str = ""


class MarkupWriter:
    """Plain text and entities being built from a marked-up source, left to right."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.out: list[str] = []
        self.size = 0
        self.entities: list[Entity] = []

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.size += utf16_len(text)

    def byte_offset(self, index: int | None = None) -> int:
        return len(self.source[: self.pos if index is None else index].encode())

    def add(self, kind: str, start: int, **extra: str) -> None:
        if self.size > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.size - start, **extra}
            )

    def url_after_bracket(self) -> str | None:
        """Read "(url)" right after a closing bracket; None when there is none."""
        if not self.source.startswith("(", self.pos):
            return None
        start = self.byte_offset()
        url: list[str] = []
        index = self.pos + 1
        while index < len(self.source) and self.source[index] != ")":
            if self.source[index] == "\\" and index + 1 < len(self.source):
                index += 1
            url.append(self.source[index])
            index += 1
        if index >= len(self.source):
            raise parse_error(f"Can't find end of a URL at byte offset {start}")
        self.pos = index + 1
        return "".join(url)


class _MarkdownV2(MarkupWriter):
    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.stack: list[_Open] = []
        self.quote: int | None = None

    def run(self) -> tuple[str, list[Entity]]:
        source = self.source
        while self.pos < len(source):
            if self.stack and self.stack[-1].kind in {"code", "pre"}:
                self.inside_code()
                continue
            if self.pos == 0 or source[self.pos - 1] == "\n":
                self.line_start()
            char = source[self.pos]
            if char == "\\" and self.pos + 1 < len(source):
                self.emit(source[self.pos + 1])
                self.pos += 2
            elif not self.marker():
                if char in RESERVED:
                    raise parse_error(
                        f"Character '{char}' is reserved and must be escaped "
                        "with the preceding '\\'"
                    )
                self.emit(char)
                self.pos += 1
        if self.stack:
            top = self.stack[-1]
            raise parse_error(
                f"Can't find end of {_NAMES[top.kind]} entity at byte offset {top.byte_offset}"
            )
        if self.quote is not None:
            self.add("blockquote", self.quote)
        return "".join(self.out), self.entities

    def line_start(self) -> None:
        source = self.source
        quoted = source.startswith(">", self.pos) or source.startswith("**>", self.pos)
        if quoted:
            self.pos += 3 if source.startswith("**>", self.pos) else 1
            if self.quote is None:
                self.quote = self.size
        elif self.quote is not None:
            end = self.size - 1  # the quote ends before the line break
            if end > self.quote:
                self.entities.append(
                    {"type": "blockquote", "offset": self.quote, "length": end - self.quote}
                )
            self.quote = None

    def marker(self) -> bool:
        source = self.source
        for token, kind in _TOGGLES:
            if source.startswith(token, self.pos):
                self.toggle(kind, len(token))
                return True
        if source.startswith("```", self.pos):
            offset = self.byte_offset()
            end = source.find("\n", self.pos + 3)
            language = source[self.pos + 3 : end].strip() if end >= 0 else ""
            if end < 0 or not re.fullmatch(r"[\w+#.-]*", language):
                language, end = "", self.pos + 2
            self.pos = end + 1
            self.stack.append(_Open("pre", self.size, offset, language))
            return True
        if source[self.pos] == "`":
            self.stack.append(_Open("code", self.size, self.byte_offset()))
            self.pos += 1
            return True
        for token, kind in (("![", "custom_emoji"), ("[", "text_link")):
            if source.startswith(token, self.pos):
                self.stack.append(_Open(kind, self.size, self.byte_offset()))
                self.pos += len(token)
                return True
        if (
            source[self.pos] == "]"
            and self.stack
            and self.stack[-1].kind in {"text_link", "custom_emoji"}
        ):
            top = self.stack.pop()
            self.pos += 1
            url = self.url_after_bracket()
            if url and top.kind == "custom_emoji":
                self.add("custom_emoji", top.start, custom_emoji_id=url.rpartition("id=")[2])
            elif url:
                self.add("text_link", top.start, url=url)
            return True
        return False

    def toggle(self, kind: str, width: int) -> None:
        if self.stack and self.stack[-1].kind == kind:
            self.add(kind, self.stack.pop().start)
        else:
            self.stack.append(_Open(kind, self.size, self.byte_offset()))
        self.pos += width

    def inside_code(self) -> None:
        source, top = self.source, self.stack[-1]
        if source[self.pos] == "\\" and source[self.pos + 1 : self.pos + 2] in {"`", "\\"}:
            self.emit(source[self.pos + 1])
            self.pos += 2
        elif top.kind == "pre" and source.startswith("```", self.pos):
            self.stack.pop()
            self.add("pre", top.start, **({"language": top.language} if top.language else {}))
            self.pos += 3
        elif top.kind == "code" and source[self.pos] == "`":
            self.stack.pop()
            self.add("code", top.start)
            self.pos += 1
        else:
            self.emit(source[self.pos])
            self.pos += 1


def parse_markdown_v2(source: str) -> tuple[str, list[Entity]]:
    """Return the plain text and entities of a MarkdownV2 text, or raise Telegram's error."""
    return _MarkdownV2(source).run()
