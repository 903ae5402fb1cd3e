"""Every import kind, in the order their files must be imported (references first)."""

from models.importing.consultations import ConsultationCancellations, Consultations
from models.importing.groups import Groups
from models.importing.guardians import Guardians
from models.importing.holidays import Holidays
from models.importing.practice import Companies, Placements
from models.importing.records import Absences, Marks
from models.importing.school import Buildings, Programmes, Rooms, Specialities, Subjects
from models.importing.spec import Kind
from models.importing.staff import StaffKind
from models.importing.students import Students
from models.importing.timetable import BellTimes, Timetable, TimetableChanges

KIND_CLASSES: tuple[type[Kind], ...] = (
    Buildings,
    Rooms,
    Programmes,
    Specialities,
    Subjects,
    StaffKind,
    Groups,
    Students,
    BellTimes,
    Timetable,
    TimetableChanges,
    Holidays,
    Consultations,
    ConsultationCancellations,
    Companies,
    Placements,
    Absences,
    Marks,
    Guardians,
)
KINDS: list[str] = [kind.name for kind in KIND_CLASSES]
BY_NAME: dict[str, type[Kind]] = {kind.name: kind for kind in KIND_CLASSES}
