"""The `schoolbot announce` and `schoolbot outbox` commands: queue an announcement, deliver it."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.settings import settings_or_exit
from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from bot.i18n import gettext_for
from models.announcement_drafts import (
    AnnouncementError,
    Author,
    Request,
    command_line_author,
    confirm,
    create_draft,
    preview,
)
from models.outbox_figures import IN_DOUBT, count_by_status

outbox_app = typer.Typer(help="The outbox of bulk messages.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `announce` and `outbox send|status` to the `schoolbot` app."""
    app.command("announce")(announce_command)
    app.add_typer(outbox_app, name="outbox")


def announce_command(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="Audience: all, students, staff, tutors, group:AM-21,KS-21, course:2, "
            "programme:<code>, building:<code>, dorm[:<code>]; join several with ';'.",
        ),
    ],
    text: Annotated[str | None, typer.Option(help="The message (Telegram HTML).")] = None,
    text_file: Annotated[
        Path | None,
        typer.Option(help="Read the message from a UTF-8 file.", exists=True, dir_okay=False),
    ] = None,
    urgent: Annotated[
        bool, typer.Option("--urgent", help="Send during quiet hours too (silently).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count the recipients; queue nothing.")
    ] = False,
    ack: Annotated[
        bool, typer.Option("--ack", help="Add a 'Read' button; /stats shows who pressed it.")
    ] = False,
    at: Annotated[
        str | None,
        typer.Option("--at", help="Send later: '25.11.2026 08:00' or '08:00' (school time)."),
    ] = None,
) -> None:
    """Queue an announcement: one outbox row per recipient. The running bot (or `schoolbot
    outbox send`) delivers it."""

    if (text is None) == (text_file is None):
        typer.secho("Give the message with --text or --text-file.", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    body = text if text is not None else (text_file.read_text("utf-8") if text_file else "")
    settings = settings_or_exit()
    request = Request(audience=to, text=body, send_at=at or "")
    try:
        batch_id, count = asyncio.run(
            _announce(settings, request, urgent=urgent, dry_run=dry_run, ack=ack)
        )
    except AnnouncementError as refusal:
        typer.secho(str(refusal), fg=typer.colors.RED, err=True)
        raise typer.Exit(2 if refusal.about == "time" else 1) from None
    if batch_id is None:
        typer.echo(f"{count} people would receive it. Nothing was queued (--dry-run).")
    else:
        typer.echo(
            f"Announcement #{batch_id} queued for {count} people. The running bot sends it; "
            "without one, run `schoolbot outbox send`."
        )


async def _announce(
    settings: Settings, request: Request, *, urgent: bool, dry_run: bool, ack: bool
) -> tuple[int | None, int]:
    """Go through the same draft and confirmation as /announce, in one transaction."""
    author = command_line_author(settings.default_language)
    now = datetime.now(UTC)
    engine = create_engine(settings.database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker.begin() as session:  # a refusal's audit row is kept
            try:
                return await _draft_and_confirm(
                    session,
                    author,
                    request,
                    now=now,
                    tz=settings.tz,
                    dry_run=dry_run,
                    ack=ack,
                    urgent=urgent,
                )
            except AnnouncementError as refusal:
                refused = refusal
        raise refused
    finally:
        await engine.dispose()


async def _draft_and_confirm(
    session: AsyncSession,
    author: Author,
    request: Request,
    *,
    now: datetime,
    tz: ZoneInfo,
    dry_run: bool,
    ack: bool,
    urgent: bool,
) -> tuple[int | None, int]:
    if dry_run:
        shown = await preview(session, author=author, request=request, now=now, tz=tz)
        return None, shown.count
    shown = await create_draft(session, author=author, request=request, now=now, tz=tz)
    count = await confirm(
        session,
        author=author,
        draft_id=shown.draft_id,
        requires_ack=ack,
        translate=gettext_for,
        urgent=urgent,
    )
    return shown.draft_id, count


@outbox_app.command("send")
def send_command() -> None:
    """Deliver everything due in the outbox now, then exit (the running bot does this itself).

    Non-urgent messages wait while quiet hours last.
    """
    from jobs.sender_config import in_quiet_hours
    from models.types import utcnow

    settings = settings_or_exit()
    counts = asyncio.run(_send(settings))
    typer.echo(_render_counts(counts))
    start, end = settings.quiet_hours_start, settings.quiet_hours_end
    if counts.get("pending") and in_quiet_hours(utcnow(), start=start, end=end, tz=settings.tz):
        typer.echo(f"Quiet hours until {end:%H:%M}: ordinary messages wait; urgent ones went out.")


@outbox_app.command("status")
def status_command() -> None:
    """Count the outbox rows by status."""

    settings = settings_or_exit()
    typer.echo(_render_counts(asyncio.run(_counts(settings))))


async def _send(settings: Settings) -> dict[str, int]:
    from telegram import Bot

    from bot.cli.reach import reach_or_exit, token_or_exit
    from jobs.outbox_sender import OutboxSender
    from jobs.sender_config import SenderConfig

    token = token_or_exit(settings, "send the outbox")
    bot = Bot(token, base_url=settings.telegram_api_url, base_file_url=settings.telegram_file_url)
    await reach_or_exit(bot, "send the outbox")
    engine = create_engine(settings.database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with bot:
            sender = OutboxSender(bot, sessionmaker, SenderConfig.from_settings(settings))
            await sender.drain()
        return await _count(sessionmaker)
    finally:
        await engine.dispose()


async def _counts(settings: Settings) -> dict[str, int]:
    engine = create_engine(settings.database_url)
    try:
        return await _count(make_sessionmaker(engine))
    finally:
        await engine.dispose()


async def _count(sessionmaker: SessionMaker) -> dict[str, int]:
    async with sessionmaker() as session:
        return await count_by_status(session)


def _render_counts(counts: dict[str, int]) -> str:
    order = ("pending", "sending", "sent", "failed", "blocked")
    shown = ", ".join(f"{status} {counts.get(status, 0)}" for status in order)
    return f"Outbox: {shown}; in doubt (may have arrived twice) {counts.get(IN_DOUBT, 0)}"
