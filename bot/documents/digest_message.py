"""The digest's message to a tutor: totals against last month, and who needs attention."""

import html

from bot.i18n import gettext_for
from models.digest_queries import GroupDigest


def digest_message(digest: GroupDigest, language: str, *, limit: int) -> str:
    """Write the month of one group for its tutor, in their language."""
    _ = gettext_for(language)
    t, p = digest.totals, digest.previous
    lines = [
        _("📊 <b>{group}: {month}</b>").format(group=html.escape(digest.code), month=digest.month),
        _("Lessons missed: {total} (last month {previous}); unexcused {unexcused} "
          "(last month {previous_unexcused}), not yet decided {pending}.").format(
            total=t.total, previous=p.total, unexcused=t.unexcused,
            previous_unexcused=p.unexcused, pending=t.pending,
        ),
    ]  # fmt: skip
    over = digest.over_limit(limit)
    if t.pending:
        lines.append(
            "❗ " + _("First, decide the {count} absences still pending.").format(count=t.pending)
        )
    if over:
        names = ", ".join(f"{html.escape(s.name)} ({s.absences.unexcused})" for s in over)
        lines.append(
            "⚠️ " + _("Over {limit} unexcused lessons: {names}").format(limit=limit, names=names)
        )
    failing = [s for s in digest.students if s.failing]
    if failing:
        names = ", ".join(
            f"{html.escape(s.name)} ({html.escape(', '.join(s.failing))})" for s in failing
        )
        lines.append("❗ " + _("Failing marks: {names}").format(names=names))
    missing = [s for s in digest.students if s.missing and not s.on_practice]
    if missing:
        names = ", ".join(html.escape(s.name) for s in missing)
        lines.append(_("Without a mark in some subject: {names}").format(names=names))
    practising = [s for s in digest.students if s.on_practice]
    if practising:
        names = ", ".join(html.escape(s.name) for s in practising)
        lines.append(_("On practice: {names}").format(names=names))
    if not (over or failing or t.pending):
        lines.append("✅ " + _("Nothing needs your action."))
    return "\n".join(lines)
