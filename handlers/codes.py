"""/codes <group> [guardians]: an admin gets a group's printable code sheet (PDF) and its CSV.

With "guardians" (or aizbildņi, vecāki, опекуны, родители) the codes are for the guardians of
the group's students, each card naming the guardian, the student and the group.
"""

import html
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.documents.link_sheets import sheet_csv, sheet_pdf
from bot.i18n import gettext_for
from models.access import Viewer, audit
from models.guardian_codes import issue_guardian_codes
from models.linking import IssuedCode, get_group_by_code, issue_codes_for_group
from models.school import StudyGroup

GUARDIAN_WORDS = frozenset(
    {"guardians", "aizbildņi", "aizbildni", "vecāki", "vecaki", "опекуны", "родители"}
)


async def _send_sheets(
    context: Context, chat_id: int, codes: list[IssuedCode], code: str, key: str, language: str
) -> None:
    """Send the group's printable sheet (PDF) and its CSV, both protected."""
    _ = gettext_for(language)
    username = context.bot.username
    await context.bot.send_document(
        chat_id,
        sheet_pdf(codes, username, language),
        filename=f"codes-{key}.pdf",
        caption=_("Link codes for {group}: {count}. Older unused codes no longer work.").format(
            count=len(codes), group=code
        ),
        protect_content=True,
    )
    await context.bot.send_document(
        chat_id, sheet_csv(codes, username), filename=f"codes-{key}.csv", protect_content=True
    )


async def _issue(
    context: Context, viewer: Viewer, wanted: str, *, guardians: bool
) -> tuple[StudyGroup | None, list[IssuedCode]]:
    """Issue the group's (or its guardians') codes and log it; no group, no codes."""
    settings = context.bot_data.settings
    async with context.bot_data.sessionmaker.begin() as session:
        group = await get_group_by_code(session, code=wanted)
        codes = []
        if group is not None:
            issue = issue_guardian_codes if guardians else issue_codes_for_group
            codes = await issue(
                session,
                group=group,
                ttl_days=settings.link_code_ttl_days,
                now=datetime.now(UTC),
                policy=settings.link_policy,
            )
            await audit(
                session,
                viewer=viewer,
                action="codes:guardians" if guardians else "codes:issue",
                target=f"group:{group.code}",
                detail=str(len(codes)),
            )
    return group, codes


async def send_code_sheets(update: Update, context: Context) -> None:
    """Issue fresh codes for a group and send the sheets as protected documents."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    sessionmaker = context.bot_data.sessionmaker
    if not viewer.is_admin:
        async with sessionmaker.begin() as session:
            await audit(session, viewer=viewer, action="refused", target="codes")
        await send_html(
            context.bot, chat.id, _("Only the school's administrators can issue link codes.")
        )
        return
    words = list(context.args or [])
    guardians = bool(words) and words[-1].casefold() in GUARDIAN_WORDS
    wanted = " ".join(words[:-1] if guardians else words)[:32]
    if not wanted:
        await send_html(
            context.bot,
            chat.id,
            _(
                "Write the group after the command, for example <code>/codes AM-21</code>, or "
                "<code>/codes AM-21 guardians</code> for its guardians' codes. "
                "New codes replace the group's unused ones."
            ),
        )
        return
    group, codes = await _issue(context, viewer, wanted, guardians=guardians)
    if group is None:
        await send_html(
            context.bot,
            chat.id,
            _("There is no group {group}.").format(group=html.escape(wanted)),
        )
        return
    if not codes:
        nobody = (
            _("Group {group} has no active guardians.")
            if guardians
            else _("Group {group} has no active students.")
        )
        await send_html(context.bot, chat.id, nobody.format(group=html.escape(group.code)))
        return
    key = f"{group.code_key}-guardians" if guardians else group.code_key
    await _send_sheets(context, chat.id, codes, group.code, key, viewer.language)


HANDLERS = [CommandHandler("codes", send_code_sheets, filters=filters.ChatType.PRIVATE)]
