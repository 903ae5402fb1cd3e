"""The one access gate: who is asking, and what they may see."""

import logging
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models.audit import AuditEntry
from models.i18n import Language
from models.import_stamp_queries import ImportStamps
from models.school import GroupTutor, Staff, StaffRole, StaffRoleAssignment, StudyGroup
from models.types import utcnow

logger = logging.getLogger(__name__)

ADMIN_ROLES = frozenset({StaffRole.ADMIN, StaffRole.STUDY_DEPT, StaffRole.IT_ADMIN})


class AccessDenied(Exception):
    """The viewer asked for something their role does not allow."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass(frozen=True)
class GroupRef:
    """A study group as answers name it."""

    id: int
    code: str


@dataclass(frozen=True)
class StudentRef:
    """A student as answers name them: who, and in which group."""

    id: int
    name: str
    group_id: int


@dataclass(frozen=True)
class Ward:
    """A student a guardian's account is linked to, and whether their records are shared now."""

    guardianship_id: int
    student: StudentRef
    group_code: str
    shared: bool  # a minor, or an adult who allowed it; an ended guardianship is not listed


@dataclass(frozen=True)
class Viewer:
    """The person behind an update, with everything access decisions need."""

    telegram_id: int
    language: Language
    first_name: str = ""
    account_id: int | None = None
    student_id: int | None = None
    student_group_id: int | None = None
    student_name: str = ""
    staff_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    tutor_groups: tuple[GroupRef, ...] = ()  # in code order
    is_admin: bool = False
    wards: tuple[Ward, ...] = ()  # a guardian's students, in name order
    ward_id: int | None = None  # the student a guardian chose to look at

    @property
    def tutor_group_ids(self) -> frozenset[int]:
        return frozenset(group.id for group in self.tutor_groups)

    @property
    def ward(self) -> Ward | None:
        """The guardian's chosen student (or their only one), shared or not."""
        for ward in self.wards:
            if ward.student.id == self.ward_id:
                return ward
        return self.wards[0] if self.wards else None

    @property
    def student(self) -> StudentRef | None:
        """Whose own view this viewer sees: themselves as a student, or a guardian's student.

        A guardian gets their chosen student only while that student's records are shared.
        """
        if self.student_id is not None and self.student_group_id is not None:
            return StudentRef(self.student_id, self.student_name, self.student_group_id)
        ward = self.ward
        return ward.student if ward is not None and ward.shared else None

    @property
    def home_group_id(self) -> int | None:
        """The group whose timetable is 'mine': the student's, or a guardian's student's."""
        student = self.student
        return student.group_id if student is not None else None

    @property
    def is_guardian(self) -> bool:
        return bool(self.wards) and self.student_id is None and self.staff_id is None

    @property
    def role(self) -> str:
        """The main role, for menus and help: admin, tutor, teacher, staff, student or visitor."""
        if self.is_admin:
            return "admin"
        if self.tutor_group_ids:
            return "tutor"
        if StaffRole.TEACHER in self.roles:
            return "teacher"
        if self.staff_id is not None:
            return "staff"
        if self.student_id is not None:
            return "student"
        if self.is_guardian:
            return "guardian"
        return "visitor"

    @property
    def is_linked(self) -> bool:
        return self.student_id is not None or self.staff_id is not None or self.is_guardian

    @property
    def actor(self) -> str:
        if self.student_id is not None:
            return f"student:{self.student_id}"
        if self.staff_id is not None:
            return f"staff:{self.staff_id}"
        if self.is_guardian and (ward := self.ward) is not None:
            return f"guardianship:{ward.guardianship_id}"
        return f"telegram:{self.telegram_id}"

    def may_view_group(self, group_id: int) -> bool:
        return self.is_admin or group_id in self.tutor_group_ids

    def may_view_student(self, student: StudentRef) -> bool:
        own = self.student
        if self.is_admin or (own is not None and student.id == own.id):
            return True
        return student.group_id in self.tutor_group_ids


async def staff_access(
    session: AsyncSession, *, staff_id: int
) -> tuple[frozenset[str], tuple[GroupRef, ...]]:
    """Return a staff member's roles and the groups they tutor; none if they are inactive."""
    roles = await session.scalars(
        select(StaffRoleAssignment.role)
        .join(Staff, col(Staff.id) == col(StaffRoleAssignment.staff_id))
        .where(col(StaffRoleAssignment.staff_id) == staff_id, col(Staff.active))
    )
    groups = await session.execute(
        select(col(StudyGroup.id), col(StudyGroup.code))
        .join(GroupTutor, col(GroupTutor.group_id) == col(StudyGroup.id))
        .join(Staff, col(Staff.id) == col(GroupTutor.staff_id))
        .where(col(GroupTutor.staff_id) == staff_id, col(Staff.active))
        .order_by(col(StudyGroup.code))
    )
    return frozenset(roles), tuple(GroupRef(ident or 0, code) for ident, code in groups.all())


class StaffAccessCache:
    """Staff roles and tutored groups, kept per data version: only an import changes them."""

    KINDS = ("staff", "groups")  # the imports that write roles and tutors

    def __init__(self) -> None:
        self._known: dict[int, tuple[int, frozenset[str], tuple[GroupRef, ...]]] = {}

    async def get(
        self, session: AsyncSession, *, staff_id: int, stamps: ImportStamps
    ) -> tuple[frozenset[str], tuple[GroupRef, ...]]:
        """Return a staff member's roles and groups, reading them after each new import."""
        version = stamps.version_of(self.KINDS)
        known = self._known.get(staff_id)
        if known is None or known[0] != version:
            roles, groups = await staff_access(session, staff_id=staff_id)
            known = (version, roles, groups)
            # Updates run at once: one that read before an import must not undo a newer refresh.
            stored = self._known.get(staff_id)
            if stored is None or stored[0] <= version:
                self._known[staff_id] = known
        return known[1], known[2]


def require(allowed: bool, what: str) -> None:
    """Raise AccessDenied unless allowed; handlers turn it into a polite refusal."""
    if not allowed:
        raise AccessDenied(what)


async def audit(
    session: AsyncSession,
    *,
    viewer: Viewer | None,
    action: str,
    target: str = "",
    detail: str = "",
    actor: str | None = None,
) -> None:
    """Write one audit-log row: a view of personal data, an admin action or a refusal."""
    # A plain INSERT: the ORM's unit of work costs more than the row on every personal answer.
    await session.execute(
        insert(AuditEntry).values(
            at=utcnow(),
            telegram_id=viewer.telegram_id if viewer else None,
            actor=actor or (viewer.actor if viewer else "system"),
            action=action,
            target=target[:200],
            detail=detail[:1000],
        )
    )
