"""Telegram's parse_mode=HTML: the tags it allows, turned into plain text plus entities.

The product checks what it will send with it; the sandbox emulator answers with it.
"""

import re
from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]  # a MessageEntity as the Bot API writes it: offsets in UTF-16 units

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024

SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
}
ALLOWED_TAGS = frozenset({*SIMPLE_TAGS, "a", "blockquote", "tg-emoji"})
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,6});")
_NAME = re.compile(r"[A-Za-z0-9-]*")
_ATTRIBUTE = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = re.compile(r"\s*")
_UNREADABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")  # PostgreSQL refuses NUL


class TelegramHtmlError(ValueError):
    """Telegram would refuse the markup; `reason` is its wording after "can't parse entities: "."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def drop_unreadable(text: str) -> str:
    """Drop control characters but tab and newline, and lone surrogates: nobody sees them."""
    return _UNREADABLE.sub("", text)


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    name: str
    start: int  # UTF-16 offset in the output
    attributes: dict[str, str] = field(default_factory=dict)


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.out: list[str] = []
        self.size = 0  # UTF-16 length of the output so far
        self.stack: list[_Open] = []
        self.entities: list[Entity] = []

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode())

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.size += utf16_len(text)

    def run(self) -> tuple[str, list[Entity]]:
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "<":
                if source.startswith("</", self.pos):
                    self.end_tag()
                else:
                    self.start_tag()
            elif char == "&":
                self.entity()
            else:
                nxt = min(
                    (i for i in (source.find("<", self.pos), source.find("&", self.pos)) if i >= 0),
                    default=len(source),
                )
                self.emit(source[self.pos : nxt])
                self.pos = nxt
        if self.stack:
            raise TelegramHtmlError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        return "".join(self.out), self.entities

    def entity(self) -> None:
        match = _ENTITY.match(self.source, self.pos)
        decoded = _decode_entity(match.group(1)) if match else None
        if match is None or decoded is None:
            self.emit("&")
            self.pos += 1
            return
        self.emit(decoded)
        self.pos = match.end()

    def start_tag(self) -> None:
        begin = self.pos
        offset = self.byte_offset(begin)
        name_match = _NAME.match(self.source, begin + 1)
        assert name_match is not None  # the pattern also matches the empty string
        name = name_match.group().lower()
        self.pos = name_match.end()
        if self.pos >= len(self.source):
            raise TelegramHtmlError(f"Unclosed start tag at byte offset {offset}")
        if name not in ALLOWED_TAGS:
            raise TelegramHtmlError(f'Unsupported start tag "{name}" at byte offset {offset}')
        attributes = self.attributes(name, offset)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise TelegramHtmlError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {offset}'
            )
        self.stack.append(_Open(name, self.size, attributes))

    def attributes(self, tag: str, offset: int) -> dict[str, str]:
        source = self.source
        found: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.pos >= len(source):
                raise TelegramHtmlError(f"Unclosed start tag at byte offset {offset}")
            if source[self.pos] == ">":
                self.pos += 1
                return found
            attribute = _ATTRIBUTE.match(source, self.pos)
            if attribute is None:
                raise TelegramHtmlError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {offset}'
                )
            self.pos = attribute.end()
            self.skip_space()
            if source.startswith("=", self.pos):
                self.pos += 1
                self.skip_space()
                found[attribute.group().lower()] = self.attribute_value(offset)
            else:
                found[attribute.group().lower()] = ""

    def attribute_value(self, offset: int) -> str:
        source = self.source
        if self.pos < len(source) and source[self.pos] in "'\"":
            quote = source[self.pos]
            end = source.find(quote, self.pos + 1)
            if end < 0:
                raise TelegramHtmlError(f"Unclosed start tag at byte offset {offset}")
            raw, self.pos = source[self.pos + 1 : end], end + 1
        else:
            match = re.compile(r"[^\s>]*").match(source, self.pos)
            assert match is not None
            raw, self.pos = match.group(), match.end()
        return _ENTITY.sub(lambda m: _decode_entity(m.group(1)) or m.group(), raw)

    def skip_space(self) -> None:
        match = _SPACE.match(self.source, self.pos)
        assert match is not None
        self.pos = match.end()

    def end_tag(self) -> None:
        offset = self.byte_offset(self.pos)
        close = self.source.find(">", self.pos)
        if close < 0:
            raise TelegramHtmlError(f"Unclosed end tag at byte offset {offset}")
        name = self.source[self.pos + 2 : close].strip().lower()
        self.pos = close + 1
        if not self.stack:
            raise TelegramHtmlError(f"Unexpected end tag at byte offset {offset}")
        top = self.stack[-1]
        if name != top.name:
            raise TelegramHtmlError(
                f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        self.stack.pop()
        self.close(top)

    def close(self, tag: _Open) -> None:
        length = self.size - tag.start
        if length <= 0:
            return
        entity: Entity = {"offset": tag.start, "length": length}
        if tag.name == "a":
            url = tag.attributes.get("href", "").strip()
            if not re.match(r"(https?://|tg://|mailto:)\S", url):
                return  # Telegram drops links it cannot use and keeps the text
            entity.update(type="text_link", url=url)
        elif tag.name == "blockquote":
            expandable = "expandable" in tag.attributes
            entity["type"] = "expandable_blockquote" if expandable else "blockquote"
        elif tag.name == "tg-emoji":
            entity.update(type="custom_emoji", custom_emoji_id=tag.attributes.get("emoji-id", ""))
        elif tag.name == "code" and self.stack and self.stack[-1].name == "pre":
            language = tag.attributes.get("class", "").removeprefix("language-")
            if language and tag.start == self.stack[-1].start:
                self.stack[-1].attributes["language"] = language
                return
            entity["type"] = "code"
        else:
            entity["type"] = SIMPLE_TAGS[tag.name]
            if tag.name == "pre" and tag.attributes.get("language"):
                entity["language"] = tag.attributes["language"]
        self.entities.append(entity)


def _decode_entity(body: str) -> str | None:
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    else:
        return _NAMED.get(body.lower())
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def parse_html(source: str) -> tuple[str, list[Entity]]:
    """Return the plain text and its entities; raise TelegramHtmlError where Telegram would."""
    return _HtmlParser(source).run()


def visible_length(source: str) -> int:
    """Return how long the text a reader sees is, in UTF-16 units, trimmed as Telegram trims it.

    UTF-16 units are never fewer than characters, so text within a limit counted this way is
    within it however Telegram counts.
    """
    plain, _entities = parse_html(source)
    return utf16_len(plain.strip())
