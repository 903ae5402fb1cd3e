"""Import kind for study groups, with their tutors; group codes are read tolerantly."""

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from models.i18n import N_
from models.importing.cells import CellError, Flag, Items, Text, Whole
from models.importing.refs import BUILDINGS, PROGRAMMES, SPECIALITIES, STAFF, Ref
from models.importing.spec import Children, Column, Key, Kind, Row
from models.school import GroupTutor, Speciality, StudyGroup
from models.text import canonical_group_code, group_key

NOT_GROUP_CODE = N_("Not a group code: {value}.")
OTHER_PROGRAMME = N_("The speciality {speciality} belongs to another programme.")


class GroupCode:
    type_name = "group code (AM-21, am21, AM 21)"

    def parse(self, raw: object) -> str:
        text = " ".join(str(raw).split())
        code = canonical_group_code(text) or text.upper()
        if not group_key(code) or len(code) > 32:
            raise CellError(NOT_GROUP_CODE, value=text)
        return code


class Groups(Kind):
    name = "groups"
    title = N_("groups")
    file_names = ("study_groups", "grupas", "группы")
    model = StudyGroup
    columns = (
        Column("code", GroupCode(), "code", required=True),
        Column("programme", Text(32), "programme_id", ref=PROGRAMMES),
        Column("speciality", Text(32), "speciality_id", ref=SPECIALITIES),
        Column("course", Whole(1, 6), "course", default=1),
        Column("home_building", Text(32), "home_building_id", ref=BUILDINGS),
        Column("study_form", Text(16), "study_form", default="full_time"),
        Column("tutors", Items("list of staff codes")),
        Column("is_prison", Flag(), "is_prison", default=False),
        Column("bot_access", Flag()),
        Column("status", Text(16), "status", default="active"),
    )
    fields = (
        "code",
        "code_key",
        "programme_id",
        "speciality_id",
        "course",
        "home_building_id",
        "study_form",
        "is_prison",
        "bot_access",
        "status",
    )
    key_columns = ("code",)
    children = Children(GroupTutor, "group_id", "staff_id")
    examples = (
        {
            "code": "DT-31",
            "programme": "33 481 01 1",
            "speciality": "DT",
            "course": 3,
            "home_building": "STR16",
            "study_form": "full_time",
            "tutors": "T001",
            "is_prison": False,
            "bot_access": "",
            "status": "active",
        },
        {
            "code": "AM-21",
            "programme": "33 525 01 1",
            "speciality": "AM",
            "course": 2,
            "home_building": "VAR23",
            "study_form": "full_time",
            "tutors": "T002",
            "is_prison": False,
            "bot_access": "",
            "status": "active",
        },
        {
            "code": "ELM-1",
            "programme": "",
            "speciality": "",
            "course": 1,
            "home_building": "",
            "study_form": "prison",
            "tutors": "T002",
            "is_prison": True,
            "bot_access": "",
            "status": "active",
        },
    )

    async def prepare(self, session: AsyncSession) -> None:
        await super().prepare(session)
        query = select(Speciality.id, Speciality.programme_id)
        self.programme_of: dict[int, int] = {
            speciality: programme for speciality, programme in await session.execute(query)
        }

    def complete(self, row: Row, values: dict[str, object]) -> frozenset[object] | None:
        values["code_key"] = group_key(str(values["code"]))
        speciality = row.ids.get("speciality")
        if speciality is not None:
            programme = self.programme_of[speciality]
            if row.missing("programme"):
                values["programme_id"] = programme
            elif row.ids.get("programme") not in (None, programme):
                row.problem("speciality", OTHER_PROGRAMME, speciality=row.text("speciality"))
        is_prison = row.flag("is_prison")
        bot_access = row.flag("bot_access")
        if bot_access is not None:
            values["bot_access"] = bot_access
        elif row.has("is_prison") or row.has("bot_access"):
            values["bot_access"] = not is_prison  # prison learners get no bot by default
        if not row.has("tutors"):
            return None
        tutors: set[object] = set()
        for code in row.items("tutors"):
            ident = self.maps[STAFF.name].find(code)
            if ident is None:
                suggestion = self.maps[STAFF.name].suggest(code)
                row.problem("tutors", STAFF.unknown, value=code, suggestion=suggestion)
            tutors.add(ident)
        return frozenset(tutors)

    @classmethod
    def refs(cls) -> list[Ref]:
        return [*super().refs(), STAFF]

    def key(self, values: Mapping[str, object]) -> Key:
        return (group_key(str(values["code"])),)
