"""`schoolbot digest preview` writes a group's digest to files; `digest send` queues a month.

The preview of a month already sent is its frozen figures, exactly as sent.
"""

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import select

from bot.cli.settings import settings_or_exit
from bot.config import Settings
from bot.db import create_engine, make_sessionmaker
from bot.documents.digest_render import DigestFiles, render_group
from jobs.digest_job import queue_digests
from models.attendance_queries import Month
from models.digest_runs import digest_bodies
from models.school import StudyGroup
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
    found = asyncio.run(_one(settings, group, chosen))
    if found is None:
        typer.secho(f"No group {group} with active students.", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    code, body = found
    files: DigestFiles = render_group(body, language)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{code}-{chosen}"
    (out / f"{stem}.txt").write_text(files.text, "utf-8")
    (out / f"{stem}.xlsx").write_bytes(files.table)
    (out / f"{stem}.png").write_bytes(files.chart)
    typer.echo(f"Wrote {stem}.txt, .xlsx and .png to {out}")


async def _one(settings: Settings, group: str, month: Month) -> tuple[str, bytes] | None:
    """The group's digest record: frozen if the month was sent, else as of now."""
    engine = create_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            codes = (await session.execute(select(StudyGroup.id, StudyGroup.code))).all()
            ids = [i for i, code in codes if i is not None and group_key(code) == group_key(group)]
            if not ids:
                return None
            bodies = await digest_bodies(
                session,
                month=month,
                group_ids=ids,
                failing_below=settings.failing_mark_below,
                limit=settings.unexcused_month_limit,
                language=settings.default_language,
            )
    finally:
        await engine.dispose()
    return bodies[0] if bodies else None


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
