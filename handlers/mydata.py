"""/mydata: send the user a JSON file of everything the bot stores about them."""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col, or_, select
from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.chat.context import Context, viewer_of
from bot.i18n import gettext_for
from models.access import Viewer, audit
from models.accounts import LinkAttempt, TelegramAccount
from models.attendance import Absence
from models.audit import AuditEntry
from models.marks import Mark
from models.practice import Placement
from models.school import GroupTutor, Staff, StaffRoleAssignment, Student, StudyGroup


def _rows(rows: Sequence[SQLModel]) -> list[dict[str, Any]]:
    return [row.model_dump(mode="json") for row in rows]


async def collect_my_data(session: AsyncSession, *, viewer: Viewer) -> dict[str, Any]:
    """Gather every row about the viewer: account, record, studies, audit entries."""
    account = await session.scalar(
        select(TelegramAccount).where(col(TelegramAccount.telegram_id) == viewer.telegram_id)
    )
    data: dict[str, Any] = {
        "exported_at": datetime.now(UTC).isoformat(),
        "telegram_account": account.model_dump(mode="json") if account else None,
        "link_attempts": _rows(
            list(
                await session.scalars(
                    select(LinkAttempt).where(col(LinkAttempt.telegram_id) == viewer.telegram_id)
                )
            )
        ),
    }
    about = [col(AuditEntry.telegram_id) == viewer.telegram_id]
    student_id = account.student_id if account else None
    staff_id = account.staff_id if account else None
    if student_id is not None:
        student = await session.get(Student, student_id)
        group = await session.get(StudyGroup, student.group_id) if student else None
        data["student"] = student.model_dump(mode="json") if student else None
        data["group"] = group.code if group else None
        for key, model in (("absences", Absence), ("marks", Mark), ("placements", Placement)):
            rows = await session.scalars(select(model).where(col(model.student_id) == student_id))
            data[key] = _rows(list(rows))
        about.append(col(AuditEntry.target) == f"student:{student_id}")
        about.append(col(AuditEntry.actor) == f"student:{student_id}")
    if staff_id is not None:
        staff = await session.get(Staff, staff_id)
        data["staff"] = staff.model_dump(mode="json") if staff else None
        data["staff_roles"] = list(
            await session.scalars(
                select(StaffRoleAssignment.role).where(
                    col(StaffRoleAssignment.staff_id) == staff_id
                )
            )
        )
        data["tutor_of_groups"] = list(
            await session.scalars(
                select(StudyGroup.code)
                .join(GroupTutor, col(GroupTutor.group_id) == col(StudyGroup.id))
                .where(col(GroupTutor.staff_id) == staff_id)
            )
        )
        about.append(col(AuditEntry.target) == f"staff:{staff_id}")
        about.append(col(AuditEntry.actor) == f"staff:{staff_id}")
    entries = await session.scalars(
        select(AuditEntry).where(or_(*about)).order_by(col(AuditEntry.at), col(AuditEntry.id))
    )
    audit_log = _rows(list(entries))
    for entry in audit_log:  # others who looked (a tutor, an admin) keep their Telegram id
        if entry["telegram_id"] != viewer.telegram_id:
            entry["telegram_id"] = None
    data["audit_log"] = audit_log
    return data


async def send_my_data(update: Update, context: Context) -> None:
    """Export the user's data as a protected JSON document, and audit the export."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    _ = gettext_for(viewer.language)
    async with context.bot_data.sessionmaker.begin() as session:
        data = await collect_my_data(session, viewer=viewer)
        await audit(session, viewer=viewer, action="mydata", target=viewer.actor)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(
        chat.id,
        payload,
        filename="my-data.json",
        caption=_("Everything the bot stores about you. /forget deletes your Telegram data."),
        protect_content=True,
    )


HANDLERS = [CommandHandler("mydata", send_my_data, filters=filters.ChatType.PRIVATE)]
