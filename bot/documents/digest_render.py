"""Render a digest's message, table or chart from its frozen record, in a worker thread.

The sender calls RowRenderer.fill right before it sends an outbox row that refers to frozen
figures; `/digest` and `digest preview` render the same records the same way.
"""

import asyncio
from collections import OrderedDict
from dataclasses import dataclass

from bot.db import SessionMaker
from bot.documents.digest_files import digest_chart, digest_xlsx
from bot.documents.digest_message import digest_message, school_message
from bot.i18n import pick_language
from models.digest_record import Frozen, decode_group, decode_school
from models.digest_runs import SCHOOL, get_figures_to_render
from models.i18n import LANGUAGES, Language
from models.outbox import OutboxMessage


@dataclass(frozen=True)
class Rendered:
    """One outbox row's content: a message, or a file."""

    text: str = ""
    document: bytes | None = None
    photo: bytes | None = None


def recipient_language(saved: str | None, seen: str | None, default: str) -> Language:
    """Saved choice first, else the language last seen from Telegram, else the school's."""
    fallback: Language = next((known for known in LANGUAGES if known == default), "lv")
    return pick_language(saved, seen, fallback)


def render_part(subject: str, body: bytes, filename: str, language: str) -> Rendered:
    """Make the part a row asks for (by its filename's suffix) from a frozen record."""
    if subject == SCHOOL:
        return Rendered(text=school_message(decode_school(body), language))
    return _group_part(decode_group(body), filename, language)


def _group_part(frozen: Frozen, filename: str, language: str) -> Rendered:
    if filename.endswith(".xlsx"):
        return Rendered(document=digest_xlsx(frozen.digest, language, limit=frozen.limit))
    if filename.endswith(".png"):
        return Rendered(photo=digest_chart(frozen.digest, language, limit=frozen.limit))
    return Rendered(text=digest_message(frozen.digest, language, limit=frozen.limit))


class RenderError(Exception):
    """A row's content could not be made; the row fails with this reason, the rest go on."""


class RowRenderer:
    """Fill digest rows just before they are sent; a row retried here is not rendered again."""

    def __init__(self, sessionmaker: SessionMaker, *, keep: int = 256) -> None:
        self.sessionmaker = sessionmaker
        self._made: OrderedDict[int, Rendered] = OrderedDict()
        self._keep = keep

    async def fill(self, row: OutboxMessage) -> None:
        """Put the rendered text or file into the (detached) row; raise RenderError if not."""
        assert row.id is not None and row.digest_id is not None
        made = self._made.get(row.id)
        if made is None:
            made = await self._render(row)
            self._made[row.id] = made
            while len(self._made) > self._keep:
                self._made.popitem(last=False)
        row.text, row.document, row.photo = made.text, made.document, made.photo

    def forget(self, row_id: int) -> None:
        """Drop what was made for a row whose outcome is final."""
        self._made.pop(row_id, None)

    async def _render(self, row: OutboxMessage) -> Rendered:
        assert row.digest_id is not None
        async with self.sessionmaker() as session:
            figures = await get_figures_to_render(
                session, figures_id=row.digest_id, chat_id=row.chat_id
            )
        if figures is None:
            raise RenderError(f"render failed: no digest figures {row.digest_id}")
        try:
            return await asyncio.to_thread(
                _render_for,
                figures.subject,
                figures.body,
                row.filename,
                figures.saved_language,
                figures.telegram_language,
            )
        except Exception as error:  # a bug or bad data: this row fails, the sender goes on
            raise RenderError(f"render failed: {error!r}") from error


def _render_for(
    subject: str, body: bytes, filename: str, saved: str | None, seen: str | None
) -> Rendered:
    """Decode the record once, then render in the recipient's language."""
    if subject == SCHOOL:
        school = decode_school(body)
        return Rendered(
            text=school_message(school, recipient_language(saved, seen, school.language))
        )
    frozen = decode_group(body)
    return _group_part(frozen, filename, recipient_language(saved, seen, frozen.language))


@dataclass(frozen=True)
class DigestFiles:
    """A group's digest in one language: the message, the table and the chart."""

    text: str
    table: bytes
    chart: bytes


def render_group(body: bytes | str, language: str) -> DigestFiles:
    """All three parts of a group's frozen record (for `/digest` and `digest preview`)."""
    frozen = decode_group(body)
    digest, limit = frozen.digest, frozen.limit
    return DigestFiles(
        digest_message(digest, language, limit=limit),
        digest_xlsx(digest, language, limit=limit),
        digest_chart(digest, language, limit=limit),
    )
