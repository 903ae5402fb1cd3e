"""The one announcement flow of `/announce` and `schoolbot announce`: check, draft, confirm.

Who may send to whom (admins and the command line: anyone; tutors: their own groups), the
text, the send time and the audience are decided here; the edges only parse and render.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models.access import Viewer, audit, require
from models.announcements import (
    Announcement,
    Translate,
    cancel_draft,
    confirm_draft,
    create_batch,
    get_batch,
    queue_recipients,
)
from models.audiences import Audience, AudienceError, resolve_audience
from models.i18n import N_
from models.send_time import SendTimeError, parse_send_time
from models.telegram_html import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    TelegramHtmlError,
    drop_unreadable,
    visible_length,
)


class AnnouncementError(Exception):
    """The announcement cannot go as asked; `message` is a msgid, `params` fill it.

    `about` names what was wrong: "audience", "text", "time" or "draft".
    """

    def __init__(self, message: str, *, about: str, **params: str) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.about = about
        self.params = params


def _draft_gone() -> AnnouncementError:
    return AnnouncementError(N_("This draft is no longer available."), about="draft")


@dataclass(frozen=True)
class Author:
    """Who announces: the actor the records name, and the groups they may reach."""

    actor: str
    language: str
    allowed: bool
    groups: frozenset[int] | None = None  # None: any audience
    chat_id: int | None = None  # where progress and the report go; None: nobody waits
    viewer: Viewer | None = None  # for the audit log; None on the command line


def author_of(viewer: Viewer, *, chat_id: int) -> Author:
    """Return the viewer as an author: admins reach anyone, tutors their own groups."""
    return Author(
        actor=viewer.actor,
        language=viewer.language,
        allowed=viewer.is_admin or bool(viewer.tutor_group_ids),
        groups=None if viewer.is_admin else viewer.tutor_group_ids,
        chat_id=chat_id,
        viewer=viewer,
    )


def command_line_author(language: str) -> Author:
    """Return the author of `schoolbot announce`: whoever runs it runs the school's server."""
    return Author(actor="cli", language=language, allowed=True)


@dataclass(frozen=True)
class Request:
    """An announcement as asked: whom, what (Telegram HTML), when (as typed), with what file."""

    audience: str
    text: str
    send_at: str = ""  # empty: at once
    media: tuple[str, str] | None = None  # ("photo" | "document", Telegram file id)


@dataclass(frozen=True)
class Preview:
    """What confirming will do: the audience, the text as it will go, and when."""

    audience: Audience
    text: str
    send_at: datetime | None
    draft_id: int = 0  # 0 until the draft is saved

    @property
    def count(self) -> int:
        return len(self.audience.chat_ids)


def check_text(text: str, *, caption: bool = False) -> str:
    """Return the text as it will be sent, or refuse it: empty, broken HTML, over the limit."""
    text = drop_unreadable(text).strip()
    try:
        length = visible_length(text)
    except TelegramHtmlError as refusal:
        raise AnnouncementError(
            N_("The formatting is broken: {reason}"), about="text", reason=refusal.reason
        ) from None
    if length == 0:
        raise AnnouncementError(N_("The announcement has no text."), about="text")
    limit = CAPTION_LIMIT if caption else MESSAGE_LIMIT
    if length > limit:
        raise AnnouncementError(
            N_("The text is {length} characters long; the limit is {limit}."),
            about="text",
            length=str(length),
            limit=str(limit),
        )
    return text


async def preview(
    session: AsyncSession, *, author: Author, request: Request, now: datetime, tz: ZoneInfo
) -> Preview:
    """Check a request and say what it would do; nothing is written."""
    require(author.allowed, "announce")
    text = check_text(request.text, caption=request.media is not None)
    send_at = None
    if request.send_at.strip():
        try:
            send_at = parse_send_time(request.send_at, now=now, tz=tz)
        except SendTimeError as refusal:
            raise AnnouncementError(refusal.reason, about="time") from None
    audience = await _audience(session, request.audience, author)
    return Preview(audience, text, send_at)


async def create_draft(
    session: AsyncSession, *, author: Author, request: Request, now: datetime, tz: ZoneInfo
) -> Preview:
    """Check a request and save it as a draft to confirm; refusals are audited and raised."""
    try:
        shown = await preview(session, author=author, request=request, now=now, tz=tz)
        if not shown.count:
            raise AnnouncementError(
                N_("Nobody in that audience uses the bot yet."), about="audience"
            )
    except AnnouncementError:
        target = drop_unreadable(request.audience)
        await audit(
            session,
            viewer=author.viewer,
            actor=author.actor,
            action="announce_refused",
            target=target,
        )
        raise
    draft = await create_batch(
        session,
        actor=author.actor,
        text=shown.text,
        audience=shown.audience.spec,
        author_chat_id=author.chat_id,
        author_language=author.language,
        status="draft",
    )
    draft.send_at = shown.send_at
    draft.media_kind, draft.media_file_id = request.media or ("", "")
    assert draft.id is not None
    await _audit(session, author, "announce_draft", draft.id)
    return replace(shown, draft_id=draft.id)


async def confirm(
    session: AsyncSession,
    *,
    author: Author,
    draft_id: int,
    requires_ack: bool,
    translate: Translate,
    urgent: bool = False,
) -> int:
    """Queue the author's draft for its audience, checked again now; return how many it reaches.

    `translate` labels the "Read" button in each recipient's language.
    """
    draft = await _own_draft(session, author, draft_id)
    audience = await _audience(session, draft.audience, author)  # not trusted from the preview
    if not await confirm_draft(session, batch_id=draft_id):
        raise _draft_gone()
    draft.requires_ack = requires_ack
    queued = await queue_recipients(
        session, batch=draft, audience=audience, urgent=urgent, translate=translate
    )
    await _audit(session, author, "announce", draft_id)
    return queued


async def cancel(session: AsyncSession, *, author: Author, draft_id: int) -> None:
    """Cancel the author's draft; nothing is sent."""
    await _own_draft(session, author, draft_id)
    if not await cancel_draft(session, batch_id=draft_id):
        raise _draft_gone()
    await _audit(session, author, "announce_cancel", draft_id)


async def _own_draft(session: AsyncSession, author: Author, draft_id: int) -> Announcement:
    draft = await get_batch(session, batch_id=draft_id)
    if (
        draft is None
        or draft.actor != author.actor
        or draft.status != "draft"
        or not author.allowed
    ):
        await audit(
            session,
            viewer=author.viewer,
            actor=author.actor,
            action="refused",
            target=f"announcement:{draft_id}",
        )
        raise _draft_gone()
    return draft


async def _audience(session: AsyncSession, spec: str, author: Author) -> Audience:
    try:
        return await resolve_audience(session, spec, limit_to_groups=author.groups)
    except AudienceError as refusal:
        raise AnnouncementError(refusal.message, about="audience", **refusal.params) from None


async def _audit(session: AsyncSession, author: Author, action: str, draft_id: int) -> None:
    await audit(
        session,
        viewer=author.viewer,
        actor=author.actor,
        action=action,
        target=f"announcement:{draft_id}",
    )
