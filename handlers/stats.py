"""/stats (admins): recent announcements and digests with their delivery figures."""

import html

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import CommandHandler

from bot.chat.context import Context, viewer_of
from bot.chat.replies import send_html
from bot.i18n import Gettext, gettext_for
from models.access import audit, require
from models.acknowledgements import read_figures
from models.announcements import delivery_figures, list_recent_batches
from models.digest_runs import digest_delivery, list_digest_runs

RECENT = 10
RECENT_MONTHS = 3


async def _digest_lines(session: AsyncSession, _: Gettext) -> list[str]:
    """The recent months' digests: who was reached, what was sent, failed or is waiting."""
    lines = ["", _("<b>Monthly digests</b>")]
    runs = await list_digest_runs(session, limit=RECENT_MONTHS)
    for run in runs:
        digest = await digest_delivery(session, month=run.month)
        lines.append(
            _(
                "{month}: tutors reached {reached}, files sent {files}, failed {failed}, "
                "blocked {blocked}, not linked {not_linked}, waiting {waiting}"
            ).format(
                month=run.month,
                reached=digest.tutors_reached,
                files=digest.files_sent,
                failed=digest.failed,
                blocked=digest.blocked,
                not_linked=digest.not_linked,
                waiting=digest.waiting,
            )
        )
    if not runs:
        lines.append(_("No monthly digest has been sent yet."))
    return lines


async def show_stats(update: Update, context: Context) -> None:
    """List the newest batches: when, to whom, and how many were sent, failed, blocked."""
    chat = update.effective_chat
    assert chat is not None
    viewer = viewer_of(context)
    require(viewer.is_admin, "stats")
    _ = gettext_for(viewer.language)
    tz = context.bot_data.settings.tz
    lines = [_("<b>Recent announcements</b>")]
    async with context.bot_data.sessionmaker.begin() as session:
        batches = await list_recent_batches(session, limit=RECENT)
        for batch in batches:
            assert batch.id is not None
            figures = await delivery_figures(session, batch_id=batch.id)
            state = _("finished") if batch.finished_at is not None else _("in progress")
            lines.append(
                _(
                    "#{id} · {when} · {audience} ({state})\n"
                    "   sent {sent} of {total}, failed {failed}, blocked {blocked}, "
                    "waiting {pending}"
                ).format(
                    id=batch.id,
                    when=batch.created_at.astimezone(tz).strftime("%d.%m.%Y %H:%M"),
                    audience=html.escape(batch.audience or batch.kind),
                    state=state,
                    sent=figures.sent,
                    total=figures.total,
                    failed=figures.failed,
                    blocked=figures.blocked,
                    pending=figures.pending,
                )
            )
            if figures.in_doubt:
                lines.append(
                    _("   in doubt (may have arrived twice): {in_doubt}").format(
                        in_doubt=figures.in_doubt
                    )
                )
            if batch.requires_ack:
                reads = await read_figures(session, batch_id=batch.id)
                lines.append(
                    _("   read by {read} of {delivered}").format(
                        read=reads.read, delivered=reads.delivered
                    )
                )
        if not batches:
            lines.append(_("Nothing has been sent yet."))
        lines += await _digest_lines(session, _)
        await audit(session, viewer=viewer, action="stats", target="announcements")
    await send_html(context.bot, chat.id, "\n".join(lines))


HANDLERS = [CommandHandler("stats", show_stats)]
