"""What redeeming or issuing a link code gives back: the outcome, the person, the printed code."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from models.link_guard import SchoolAlarm


class LinkOutcome(StrEnum):
    LINKED = "linked"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    LOCKED_OUT = "locked_out"
    SCHOOL_PAUSED = "school_paused"  # too many wrong codes school-wide: checks wait
    NO_BOT_ACCESS = "no_bot_access"
    GUARDIAN_CODE_ON_LINKED = "guardian_code_on_linked"  # a student's or staff account
    ACCOUNT_IS_GUARDIAN = "account_is_guardian"  # a person's code on a guardian's account


@dataclass(frozen=True)
class LinkResult:
    """What redeeming a code did; for a link, who the account now belongs to."""

    outcome: LinkOutcome
    name: str = ""
    group_code: str = ""
    student_id: int | None = None
    staff_id: int | None = None
    guardianship_id: int | None = None
    student_name: str = ""  # for a guardian: whose guardian they now are
    moved_from: int | None = None  # the Telegram id that lost the link
    locked_until: datetime | None = None  # a lockout's or a school-wide pause's end
    alarm: SchoolAlarm | None = None  # this failure started an episode the admins must hear of

    @property
    def linked(self) -> bool:
        return self.outcome is LinkOutcome.LINKED


@dataclass(frozen=True)
class IssuedCode:
    """A freshly issued code and the person it is for, as printed on a sheet."""

    name: str
    number: str  # student number or staff code
    group_code: str
    code: str
    student_name: str = ""  # on a guardian's code: the student it is for
