"""How the personal-record answers show a limit, and why a question found no records."""

import html

from bot.i18n import N_, gettext_for
from models.access import Viewer
from models.record_scope import Nothing, Records
from models.school import StaffRole

NOT_LINKED = {
    Records.ABSENCES: N_(
        "Absences are personal: link your account first with the code from your school (/start)."
    ),
    Records.MARKS: N_(
        "Marks are personal: link your account first with the code from your school (/start)."
    ),
    Records.PRACTICE: N_(
        "Practice is personal: link your account first with the code from your school (/start)."
    ),
}
NAME_A_GROUP = {
    Records.ABSENCES: N_("Which group? For example: /absences AM-21"),
    Records.MARKS: N_("Which group? For example: /marks AM-21"),
    Records.PRACTICE: N_("Which group, speciality or company? For example: /practice AM-41"),
}
NO_RECORDS = {
    Records.ABSENCES: N_(
        "You have no absences here: they are shown to each student and to their group's tutor."
    ),
    Records.MARKS: N_(
        "You have no marks here: they are shown to each student and to their group's tutor."
    ),
    Records.PRACTICE: N_(
        "No practice placement names you as its student or as its supervisor at school."
    ),
}


def meter(value: int, limit: int, width: int = 10) -> str:
    """A text bar of how close a count is to its limit: '▓▓▓▓░░░░░░ 4/8'."""
    filled = width if limit <= 0 else min(width, round(width * value / limit))
    return "▓" * filled + "░" * (width - filled) + f" {value}/{limit}"


def not_shared_text(viewer: Viewer) -> str:
    """Tell a guardian that their chosen student's records are not shared with them."""
    _ = gettext_for(viewer.language)
    ward = viewer.ward
    return _(
        "The records of {name} are not shared with you. A student aged 18 or more decides "
        "this in their own /settings."
    ).format(name=html.escape(ward.student.name if ward else ""))


def nothing_text(nothing: Nothing, records: Records, viewer: Viewer) -> str:
    """Say why there are no records to show, and what the viewer can ask instead."""
    _ = gettext_for(viewer.language)
    if nothing is Nothing.NAME_A_GROUP:
        return _(NAME_A_GROUP[records])
    if nothing is Nothing.NOT_LINKED:
        return _(NOT_LINKED[records])
    if nothing is Nothing.NOT_SHARED:
        return not_shared_text(viewer)
    lines = [_(NO_RECORDS[records])]
    if StaffRole.PRACTICE_SUPERVISOR in viewer.roles and records is Records.PRACTICE:
        lines.append(
            _("The study department links placements to their supervisors when it imports them.")
        )
    if StaffRole.TEACHER in viewer.roles:
        lines.append(
            _(
                "You can ask for your lessons (/today, /week) "
                "and your consultation hours (/consult)."
            )
        )
    else:
        lines.append(
            _("You can ask for any timetable (/timetable) and consultation hours (/consult).")
        )
    return "\n".join(lines)
