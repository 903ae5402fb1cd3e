"""/codes <group>: an admin gets the group's printable code sheet (PDF) and its CSV."""

import html
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.documents.link_sheets import sheet_csv, sheet_pdf
from bot.i18n import gettext_for
from models.access import audit
from models.linking import IssuedCode, get_group_by_code, issue_codes_for_group


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


async def send_code_sheets(update: Update, context: Context) -> None:
    """Issue fresh codes for a group and send the sheets as protected documents."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    settings = context.bot_data.settings
    sessionmaker = context.bot_data.sessionmaker
    if not viewer.is_admin:
        async with sessionmaker.begin() as session:
            await audit(session, viewer=viewer, action="refused", target="codes")
        await send_html(
            context.bot, chat.id, _("Only the school's administrators can issue link codes.")
        )
        return
    wanted = " ".join(context.args or [])[:32]
    if not wanted:
        await send_html(
            context.bot,
            chat.id,
            _(
                "Write the group after the command, for example <code>/codes AM-21</code>. "
                "New codes replace the group's unused ones."
            ),
        )
        return
    async with sessionmaker.begin() as session:
        group = await get_group_by_code(session, code=wanted)
        if group is None:
            codes = []
        else:
            codes = await issue_codes_for_group(
                session,
                group=group,
                ttl_days=settings.link_code_ttl_days,
                now=datetime.now(UTC),
                policy=settings.link_policy,
            )
            await audit(
                session,
                viewer=viewer,
                action="codes:issue",
                target=f"group:{group.code}",
                detail=str(len(codes)),
            )
    if group is None:
        await send_html(
            context.bot,
            chat.id,
            _("There is no group {group}.").format(group=html.escape(wanted)),
        )
        return
    if not codes:
        await send_html(
            context.bot,
            chat.id,
            _("Group {group} has no active students.").format(group=html.escape(group.code)),
        )
        return
    await _send_sheets(context, chat.id, codes, group.code, group.code_key, viewer.language)


HANDLERS = [CommandHandler("codes", send_code_sheets, filters=filters.ChatType.PRIVATE)]
