"""`schoolbot backup FILE`: a consistent copy of a SQLite database, taken while the bot runs."""

import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from bot.cli.settings import settings_or_exit


def backup_sqlite(database: Path, target: Path) -> int:
    """Copy a live SQLite database with its online backup API; return the pages copied."""
    if target.exists():
        raise FileExistsError(target)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy, pages=1024)  # in steps, so the bot's writes are never held long
        return int(copy.execute("PRAGMA page_count").fetchone()[0])
    finally:
        copy.close()
        source.close()


def backup(
    target: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
) -> None:
    """Write a consistent copy of the SQLite database (PostgreSQL: use pg_dump)."""
    url = make_url(settings_or_exit().database_url)
    if not url.drivername.startswith("sqlite"):
        typer.secho(
            "The database is PostgreSQL: back it up with pg_dump (see README, Deployment).",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    database = Path(url.database or "")
    if not database.is_file():
        typer.secho(f"No database file at {database}.", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        pages = backup_sqlite(database, target)
    except FileExistsError:
        typer.secho(f"{target} exists already: choose a new file.", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Backed up {database} to {target} ({pages} pages).")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
