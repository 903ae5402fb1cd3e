"""The `schoolbot announce` and `schoolbot outbox` commands: queue an announcement, deliver it."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.settings import settings_or_exit
from bot.config import Settings
from bot.db import SessionMaker, create_engine, make_sessionmaker
from models.announcements import AnnouncementError, check_text, create_announcement
from models.audiences import AudienceError, resolve_audience
from models.outbox import count_by_status
from models.send_time import SendTimeError, parse_send_time

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
    try:
        check_text(body)
    except AnnouncementError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    settings = settings_or_exit()
    send_at = None
    if at is not None:
        try:
            send_at = parse_send_time(at, now=datetime.now(UTC), tz=settings.tz)
        except SendTimeError as exc:
            typer.secho(exc.reason, fg=typer.colors.RED, err=True)
            raise typer.Exit(2) from None
    try:
        batch_id, count = asyncio.run(
            _announce(settings, to, body, urgent=urgent, dry_run=dry_run, ack=ack, send_at=send_at)
        )
    except AudienceError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    if dry_run:
        typer.echo(f"{count} people would receive it. Nothing was queued (--dry-run).")
    elif batch_id is None:
        typer.echo("Nobody in that audience has linked Telegram: nothing was queued.")
    else:
        typer.echo(
            f"Announcement #{batch_id} queued for {count} people. The running bot sends it; "
            "without one, run `schoolbot outbox send`."
        )


async def _announce(
    settings: Settings,
    spec: str,
    text: str,
    *,
    urgent: bool,
    dry_run: bool,
    ack: bool,
    send_at: datetime | None,
) -> tuple[int | None, int]:
    engine = create_engine(settings.database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker.begin() as session:
            audience = await resolve_audience(session, spec)
            if dry_run or not audience.chat_ids:
                return None, len(audience.chat_ids)
            batch = await create_announcement(
                session,
                audience=audience,
                text=text,
                actor="cli",
                author_language=settings.default_language,
                urgent=urgent,
                requires_ack=ack,
                send_at=send_at,
            )
            return batch.id, batch.total
    finally:
        await engine.dispose()


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

    from jobs.outbox_sender import OutboxSender
    from jobs.sender_config import SenderConfig

    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    engine = create_engine(settings.database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with Bot(
            token, base_url=settings.telegram_api_url, base_file_url=settings.telegram_file_url
        ) as bot:
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
    return "Outbox: " + ", ".join(f"{status} {counts.get(status, 0)}" for status in order)
