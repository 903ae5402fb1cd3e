"""The `schoolbot import` and `schoolbot templates` commands: school data in, example files out."""

import asyncio
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot import migrate
from bot.cli.settings import settings_or_exit
from bot.config import Settings
from bot.db import create_engine, make_sessionmaker
from bot.i18n import gettext_for
from models.importing import KINDS, ImportRefused, ImportReport, import_file, write_templates


class ReportLanguage(StrEnum):
    LV = "lv"
    RU = "ru"
    EN = "en"


class TemplateFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


def register(app: typer.Typer) -> None:
    """Add the import and templates commands to the `schoolbot` app."""
    app.command("import")(import_command)
    app.command("templates")(templates_command)


def import_command(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file.", exists=True, dir_okay=False)],
    kind: Annotated[
        str | None,
        typer.Option(
            help=f"What the file holds: {', '.join(KINDS)}. "
            "Default: from the file name, else from its columns."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file and count changes; write nothing.")
    ] = False,
    language: Annotated[
        ReportLanguage | None,
        typer.Option(help="Language of the report (default: DEFAULT_LANGUAGE)."),
    ] = None,
) -> None:
    """Import a CSV or XLSX file of school data: every row, or none if any row is wrong."""

    settings = settings_or_exit()
    _ = gettext_for(language.value if language else settings.default_language)
    try:
        report = asyncio.run(_import(settings, file, kind=kind, dry_run=dry_run))
    except ImportRefused as refusal:
        typer.echo(refusal.render(_))
        raise typer.Exit(1) from None
    typer.echo(report.render(_))
    raise typer.Exit(0 if report.ok else 1)


async def _import(
    settings: Settings, path: Path, *, kind: str | None, dry_run: bool
) -> ImportReport:
    engine = create_engine(settings.database_url)
    try:
        current = await migrate.current_revision(engine)
        if current != migrate.head_revision(settings.database_url):
            typer.secho(
                "The database is not up to date: run `schoolbot db upgrade` first.",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(2)
        return await import_file(
            make_sessionmaker(engine),
            path,
            kind=kind,
            dry_run=dry_run,
            limits=settings.import_limits,
            now=datetime.now(UTC),
        )
    finally:
        await engine.dispose()


def templates_command(
    directory: Annotated[Path, typer.Argument(help="Where to write the files.", file_okay=False)],
    fmt: Annotated[
        TemplateFormat, typer.Option("--format", help="File format.")
    ] = TemplateFormat.XLSX,
) -> None:
    """Write an example file of every import kind, in the order to import them."""
    written = write_templates(directory, fmt="csv" if fmt is TemplateFormat.CSV else "xlsx")
    for path in written:
        typer.echo(str(path))
