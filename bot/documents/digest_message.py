"""The digest's messages, side by side: a tutor's group, and the school's overview for admins."""

import html

from bot.i18n import gettext_for
from models.digest_figures import GroupDigest, StudentLine
from models.digest_record import SchoolFigures

FIRST = 5  # students named in a tutor's message; the table lists them all


def _attention(line: StudentLine, limit: int) -> tuple[int, int, int]:
    """How much a student needs the tutor: over the limit first, then unexcused, then failing."""
    return (int(line.absences.unexcused > limit), line.absences.unexcused, len(line.failing))


def digest_message(digest: GroupDigest, language: str, *, limit: int) -> str:
    """Write the month of one group for its tutor: totals, then whom to talk to first."""
    _ = gettext_for(language)
    t, p = digest.totals, digest.previous
    lines = [
        _("📊 <b>{group}: {month}</b>").format(group=html.escape(digest.code), month=digest.month),
        _(
            "Lessons missed: {total} (last month {previous}); unexcused {unexcused} "
            "(last month {previous_unexcused}), not yet decided {pending}."
        ).format(
            total=t.total,
            previous=p.total,
            unexcused=t.unexcused,
            previous_unexcused=p.unexcused,
            pending=t.pending,
        ),
    ]
    if t.pending:
        lines.append(
            "❗ " + _("First, decide the {count} absences still pending.").format(count=t.pending)
        )
    needy = sorted(
        (s for s in digest.students if s.absences.unexcused > limit or s.failing),
        key=lambda s: _attention(s, limit),
        reverse=True,
    )
    if needy:
        lines += ["", _("<b>Talk to first:</b>")]
        lines += [_student_line(s, language, limit) for s in needy[:FIRST]]
        if len(needy) > FIRST:
            more = _("…and {count} more in the table.").format(count=len(needy) - FIRST)
            lines.append(more)
    elif not t.pending:
        lines.append("✅ " + _("Nothing needs your action."))
    missing = sum(1 for s in digest.students if s.missing and not s.on_practice)
    practising = sum(1 for s in digest.students if s.on_practice)
    if missing or practising:
        lines.append(
            _("Without a mark in some subject: {missing}; on practice: {practice}.").format(
                missing=missing, practice=practising
            )
        )
    lines += ["", _("Every student, mark and flag is in the table below.")]
    return "\n".join(lines)


def _student_line(line: StudentLine, language: str, limit: int) -> str:
    _ = gettext_for(language)
    parts = []
    if line.absences.unexcused:
        mark = "⚠️ " if line.absences.unexcused > limit else ""
        parts.append(mark + _("unexcused {count}").format(count=line.absences.unexcused))
    if line.failing:
        parts.append(_("failing subjects {count}").format(count=len(line.failing)))
    return f"• {html.escape(line.name)} — " + ", ".join(parts)


def school_message(figures: SchoolFigures, language: str) -> str:
    """The school's month: per group, the students most at risk, tutors not reachable."""
    _ = gettext_for(language)
    lines = [
        _("📊 <b>School digest: {month}</b>").format(month=figures.month),
        _("Group: missed / unexcused / students over the limit"),
    ]
    for group in sorted(figures.groups, key=lambda g: -g.unexcused):
        lines.append(f"{html.escape(group.code)}: {group.total} / {group.unexcused} / {group.over}")
    for title, key in (
        (_("By building"), "building"),
        (_("By course year"), "course"),
        (_("By programme"), "programme"),
    ):
        rollup: dict[str, list[int]] = {}
        for group in figures.groups:
            totals = rollup.setdefault(str(getattr(group, key) or "—"), [0, 0, 0])
            totals[0] += group.total
            totals[1] += group.unexcused
            totals[2] += group.over
        lines += ["", f"<b>{title}</b>"]
        lines += [
            f"{html.escape(name)}: {a} / {b} / {c}" for name, (a, b, c) in sorted(rollup.items())
        ]
    if figures.risk:
        lines += ["", _("Most unexcused lessons:")]
        lines += [
            f"{html.escape(name)} ({html.escape(code)}): {count}"
            for count, name, code in figures.risk
        ]
    if figures.unlinked:
        names = html.escape(", ".join(figures.unlinked))
        lines += [
            "",
            _("Tutors not linked (their digests were not delivered): {names}").format(names=names),
        ]
    return "\n".join(lines)[:4096]
