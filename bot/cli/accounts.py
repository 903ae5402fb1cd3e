"""The `schoolbot codes` and `schoolbot audit` commands: issue link codes, read the audit log."""

import asyncio
import re
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.cli.settings import settings_or_exit
from bot.config import ConfigError, Settings
from bot.db import create_engine, make_sessionmaker
from bot.documents.link_sheets import deep_link, sheet_csv, sheet_pdf, sheet_png
from models.audit import AuditEntry
from models.guardian_codes import issue_guardian_codes
from models.link_policy import LinkPolicy
from models.linking import (
    IssuedCode,
    get_group_by_code,
    issue_code_for_staff,
    issue_code_for_student,
    issue_codes_for_group,
)


class SheetFormat(StrEnum):
    CSV = "csv"
    PNG = "png"
    PDF = "pdf"


def register(app: typer.Typer) -> None:
    """Add the codes and audit commands to the `schoolbot` app."""
    app.command("codes")(codes_command)
    app.command("audit")(audit_command)


def codes_command(
    group: Annotated[str | None, typer.Option(help="Issue codes for every active student.")] = None,
    student: Annotated[str | None, typer.Option(help="Student number of one student.")] = None,
    staff: Annotated[str | None, typer.Option(help="Staff code of one staff member.")] = None,
    guardians: Annotated[
        bool, typer.Option(help="Codes for the guardians of the --group's or --student's students.")
    ] = False,
    fmt: Annotated[SheetFormat, typer.Option("--format", help="Sheet format.")] = SheetFormat.CSV,
    out: Annotated[Path, typer.Option(help="Directory for the sheet.", file_okay=False)] = Path(),
    bot_username: Annotated[
        str | None,
        typer.Option(help="The bot's @username for the links (default: asked from Telegram)."),
    ] = None,
    language: Annotated[str | None, typer.Option(help="Language of the sheet: lv, ru, en.")] = None,
) -> None:
    """Issue one-time link codes (older unused codes of the same people stop working)."""

    if sum(option is not None for option in (group, student, staff)) != 1:
        typer.secho(
            "Give exactly one of --group, --student, --staff.", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(2)
    if guardians and staff is not None:
        typer.secho("--guardians goes with --group or --student.", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    settings = settings_or_exit()
    try:
        policy = settings.link_policy
    except ConfigError as exc:
        typer.secho(f"Configuration error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    bot_username = bot_username or _ask_username(settings)
    chosen = language if language in ("lv", "ru", "en") else settings.default_language
    codes = asyncio.run(
        _issue(settings, policy, group=group, student=student, staff=staff, guardians=guardians)
    )
    if codes is None:
        typer.secho(f"Not found: {group or student or staff}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    if not codes:
        nobody = "No active guardians" if guardians else "No active students in that group"
        typer.secho(f"{nobody}: no codes issued.", err=True)
        raise typer.Exit(1)
    if (student or staff) and not guardians:
        item = codes[0]
        typer.echo(f"{item.name}\t{item.code}\t{deep_link(bot_username, item.code)}")
        if fmt is SheetFormat.CSV:
            return
    out.mkdir(parents=True, exist_ok=True)
    whose = codes[0].group_code if group else (student or staff or "")
    stem = ("guardian-codes-" if guardians else "codes-") + re.sub(r"[^\w.-]", "_", whose)
    path = out / f"{stem}.{fmt.value}"
    if fmt is SheetFormat.CSV:
        path.write_bytes(sheet_csv(codes, bot_username))
    elif fmt is SheetFormat.PNG:
        path.write_bytes(sheet_png(codes, bot_username, chosen))
    else:
        path.write_bytes(sheet_pdf(codes, bot_username, chosen))
    typer.echo(f"{len(codes)} codes written to {path}")


def _ask_username(settings: Settings) -> str:
    """Ask Telegram for the bot's username, or exit saying how to give it."""
    from telegram import Bot

    from bot.cli.reach import reach_or_exit

    if settings.telegram_bot_token is None:
        typer.secho(
            "Give --bot-username (or set TELEGRAM_BOT_TOKEN): the links need the bot's name.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2)
    bot = Bot(settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_api_url)
    asking = "ask Telegram for the bot's name (or give --bot-username)"
    return asyncio.run(reach_or_exit(bot, asking))


async def _issue(
    settings: Settings,
    policy: LinkPolicy,
    *,
    group: str | None,
    student: str | None,
    staff: str | None,
    guardians: bool,
) -> list[IssuedCode] | None:
    engine = create_engine(settings.database_url)
    now = datetime.now(UTC)
    ttl = settings.link_code_ttl_days
    try:
        async with make_sessionmaker(engine).begin() as session:
            if guardians:
                return await _issue_guardians(
                    session, policy, group=group, student=student, now=now, ttl=ttl
                )
            if group is not None:
                found = await get_group_by_code(session, code=group)
                if found is None:
                    return None
                codes = await issue_codes_for_group(
                    session, group=found, ttl_days=ttl, now=now, policy=policy
                )
                target = f"group:{found.code}"
            else:
                one = (
                    await issue_code_for_student(
                        session, student_number=student, ttl_days=ttl, now=now, policy=policy
                    )
                    if student is not None
                    else await issue_code_for_staff(
                        session, staff_code=staff or "", ttl_days=ttl, now=now, policy=policy
                    )
                )
                if one is None:
                    return None
                codes = [one]
                target = f"student:{student}" if student else f"staff:{staff}"
            session.add(
                AuditEntry(actor="cli", action="codes:issue", target=target, detail=str(len(codes)))
            )
            return codes
    finally:
        await engine.dispose()


async def _issue_guardians(
    session: AsyncSession,
    policy: LinkPolicy,
    *,
    group: str | None,
    student: str | None,
    now: datetime,
    ttl: int,
) -> list[IssuedCode] | None:
    """Issue codes for the guardians of a group's students or of one student."""
    found = await get_group_by_code(session, code=group) if group is not None else None
    if group is not None and found is None:
        return None
    codes = await issue_guardian_codes(
        session, group=found, student_number=student, ttl_days=ttl, now=now, policy=policy
    )
    target = f"group:{found.code}" if found else f"student:{student}"
    session.add(
        AuditEntry(actor="cli", action="codes:guardians", target=target, detail=str(len(codes)))
    )
    return codes


def audit_command(
    limit: Annotated[int, typer.Option(min=1, help="How many entries to show.")] = 50,
    action: Annotated[
        str | None, typer.Option(help="Only this action, or actions starting with it + ':'.")
    ] = None,
) -> None:
    """List the audit log, newest first."""

    settings = settings_or_exit()
    for entry in asyncio.run(_read_audit(settings, limit=limit, action=action)):
        who = f"{entry.actor}" + (f" (telegram {entry.telegram_id})" if entry.telegram_id else "")
        at = entry.at.astimezone(settings.tz)  # school time, with its zone: "EET" or "EEST"
        line = f"{at:%Y-%m-%d %H:%M:%S %Z}  {entry.action:<16} {who}  {entry.target}"
        typer.echo(f"{line}  {entry.detail}".rstrip())


async def _read_audit(settings: Settings, *, limit: int, action: str | None) -> list[AuditEntry]:
    engine = create_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            query = select(AuditEntry)
            if action:
                query = query.where(
                    (col(AuditEntry.action) == action)
                    | col(AuditEntry.action).startswith(f"{action}:", autoescape=True)
                )
            rows = await session.scalars(
                query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit)
            )
            return list(rows)
    finally:
        await engine.dispose()
