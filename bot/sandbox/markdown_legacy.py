"""Telegram's legacy parse_mode=Markdown: *bold*, _italic_, `code`, ```pre``` and [links](url)."""

import re
from typing import ClassVar

from bot.sandbox.entities import Entity
from bot.sandbox.html_markup import parse_error
from bot.sandbox.markdown import MarkupWriter


class _LegacyMarkdown(MarkupWriter):
    _ENDS: ClassVar[dict[str, str]] = {"*": "bold", "_": "italic", "`": "code"}

    def run(self) -> tuple[str, list[Entity]]:
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "\\" and source[self.pos + 1 : self.pos + 2] in {"_", "*", "`", "["}:
                self.emit(source[self.pos + 1])
                self.pos += 2
            elif source.startswith("```", self.pos):
                self.span("```", "pre")
            elif char in self._ENDS:
                self.span(char, self._ENDS[char])
            elif char == "[":
                self.link()
            else:
                self.emit(char)
                self.pos += 1
        return "".join(self.out), self.entities

    def span(self, token: str, kind: str) -> None:
        offset = self.byte_offset()
        end = self.source.find(token, self.pos + len(token))
        if end < 0:
            raise parse_error(f"Can't find end of the entity starting at byte offset {offset}")
        body = self.source[self.pos + len(token) : end]
        language = ""
        if kind == "pre" and "\n" in body and re.fullmatch(r"[\w+#.-]+", body.split("\n")[0]):
            language, _, body = body.partition("\n")
        start = self.size
        self.emit(body)
        self.add(kind, start, **({"language": language} if language else {}))
        self.pos = end + len(token)

    def link(self) -> None:
        offset = self.byte_offset()
        end = self.source.find("]", self.pos)
        if end < 0:
            raise parse_error(f"Can't find end of the entity starting at byte offset {offset}")
        start = self.size
        self.emit(self.source[self.pos + 1 : end])
        self.pos = end + 1
        url = self.url_after_bracket()
        if url:
            self.add("text_link", start, url=url)


def parse_markdown(source: str) -> tuple[str, list[Entity]]:
    """Return the plain text and entities of a legacy Markdown text."""
    return _LegacyMarkdown(source).run()
