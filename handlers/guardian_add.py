"""/guardian <student number> <name>: a tutor adds a guardian to their own group's student.

The tutor gets the guardian's one-time code at once, as a printable card (protected).
"""

import html
from datetime import UTC, datetime

from sqlmodel import col, select
from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.documents.link_sheets import sheet_pdf
from bot.i18n import gettext_for
from models.access import Viewer, audit
from models.guardian_codes import add_guardianship
from models.link_results import IssuedCode
from models.linking import issue_code
from models.school import Student, StudentStatus, StudyGroup

MAX_NAME = 200


async def _add_and_issue(
    context: Context, viewer: Viewer, number: str, name: str
) -> IssuedCode | None:
    """Add the guardian if the student is in the viewer's groups; return their fresh code."""
    settings = context.bot_data.settings
    async with context.bot_data.sessionmaker.begin() as session:
        found = (
            await session.execute(
                select(Student, col(StudyGroup.code))
                .join(StudyGroup, col(StudyGroup.id) == col(Student.group_id))
                .where(col(Student.student_number) == number)
            )
        ).first()
        student, group_code = found if found is not None else (None, "")
        if (
            student is None
            or student.id is None
            or student.status != StudentStatus.ACTIVE
            or not viewer.may_view_group(student.group_id)
        ):  # an unknown number and another group's student get the same answer
            await audit(session, viewer=viewer, action="refused", target=f"guardian:add:{number}")
            return None
        guardianship = await add_guardianship(
            session, student_id=student.id, name=name, added_by=viewer.actor
        )
        code = await issue_code(
            session,
            guardianship_id=guardianship.id,
            ttl_days=settings.link_code_ttl_days,
            now=datetime.now(UTC),
            policy=settings.link_policy,
        )
        target = f"guardianship:{guardianship.id}"
        await audit(session, viewer=viewer, action="guardian:add", target=target)
        return IssuedCode(name, number, group_code, code, student.full_name)


async def add_guardian(update: Update, context: Context) -> None:
    """Add the named guardian and send their code, or say how to ask (refusals are logged)."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    args = context.args or []
    number, name = (args[0][:32], " ".join(args[1:])) if args else ("", "")
    if not viewer.tutor_groups and not viewer.is_admin:
        await send_html(context.bot, chat.id, _("Only a group's tutor can add its guardians."))
        return
    if not number or not name or len(name) > MAX_NAME:
        usage = _(
            "Write the student number and the guardian's name, for example "
            "<code>/guardian 20230412 Olga Petrova</code>."
        )
        await send_html(context.bot, chat.id, usage)
        return
    issued = await _add_and_issue(context, viewer, number, name)
    if issued is None:
        text = _("There is no active student {number} in your groups.")
        await send_html(context.bot, chat.id, text.format(number=html.escape(number)))
        return
    await context.bot.send_document(
        chat.id,
        sheet_pdf([issued], context.bot.username, viewer.language),
        filename=f"guardian-code-{number}.pdf",
        caption=_("{name} is a guardian of {student} now. Their one-time code: {code}").format(
            name=issued.name, student=issued.student_name, code=issued.code
        ),
        protect_content=True,
    )


HANDLERS = [CommandHandler("guardian", add_guardian, filters=filters.ChatType.PRIVATE)]
