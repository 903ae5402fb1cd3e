"""`schoolbot digest preview` writes a group's digest to files; `digest send` queues a month."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.settings import settings_or_exit
from bot.config import Settings
from bot.db import create_engine, make_sessionmaker
from bot.documents.digest_files import digest_chart, digest_xlsx
from bot.documents.digest_message import digest_message
from jobs.digest_job import queue_digests
from models.attendance_queries import Month
from models.digest_queries import GroupDigest, build_digests
from models.text import group_key

digest_app = typer.Typer(help="Monthly digests of attendance and marks.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the digest commands to the `schoolbot` app."""
    app.add_typer(digest_app, name="digest")


def _month(text: str) -> Month:
    month = Month.parse(text)
    if month is None:
        typer.secho(f"--month must be YYYY-MM, not {text!r}.", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    return month


@digest_app.command("preview")
def preview_command(
    group: Annotated[str, typer.Option(help="Group code, e.g. AM-21.")],
    month: Annotated[str, typer.Option(help="YYYY-MM")],
    out: Annotated[Path, typer.Option(help="Folder for the text, XLSX and PNG.", file_okay=False)],
    language: Annotated[str, typer.Option(help="lv, ru or en.")] = "lv",
) -> None:
    """Write one group's digest (message, table, chart) to files without sending anything."""

    settings = settings_or_exit()
    chosen = _month(month)
    digest = asyncio.run(_one(settings, group, chosen))
    if digest is None:
        typer.secho(f"No group {group} with active students.", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    limit = settings.unexcused_month_limit
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{digest.code}-{digest.month}"
    (out / f"{stem}.txt").write_text(digest_message(digest, language, limit=limit), "utf-8")
    (out / f"{stem}.xlsx").write_bytes(digest_xlsx(digest, language, limit=limit))
    (out / f"{stem}.png").write_bytes(digest_chart(digest, language, limit=limit))
    typer.echo(f"Wrote {stem}.txt, .xlsx and .png to {out}")


async def _one(settings: Settings, group: str, month: Month) -> GroupDigest | None:
    engine = create_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            digests = await build_digests(
                session, month=month, failing_below=settings.failing_mark_below
            )
    finally:
        await engine.dispose()
    return next((d for d in digests if group_key(d.code) == group_key(group)), None)


@digest_app.command("send")
def send_command(month: Annotated[str, typer.Option(help="YYYY-MM")]) -> None:
    """Queue the month's digests now (nothing already queued is queued again)."""

    settings = settings_or_exit()

    async def _send() -> tuple[int, list[str]]:
        engine = create_engine(settings.database_url)
        try:
            return await queue_digests(
                make_sessionmaker(engine), settings, _month(month), claim=False
            )
        finally:
            await engine.dispose()

    queued, unlinked = asyncio.run(_send())
    typer.echo(
        f"Queued {queued} messages. The running bot (or `schoolbot outbox send`) sends them."
    )
    if unlinked:
        typer.echo("Tutors not linked: " + ", ".join(unlinked))
