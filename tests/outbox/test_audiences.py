"""Audience specs resolve to linked, reachable people; tutors reach only their own groups."""

from dataclasses import dataclass

import pytest

from bot.db import SessionMaker
from models.audiences import AudienceError, resolve_audience
from models.school import StudentStatus
from tests.builders import (
    add_building,
    add_group,
    add_programme,
    add_staff,
    add_student,
)


@dataclass(frozen=True)
class School:
    am21: int
    ks21: int


@pytest.fixture
async def school(sessionmaker: SessionMaker) -> School:
    async with sessionmaker.begin() as session:
        main = await add_building(session, code="STR16")
        dorm = await add_building(session, code="BAU23", kind="dorm")
        programme = await add_programme(session, code="EL")
        am21 = await add_group(session, code="AM-21", course=2, programme=programme, building=main)
        ks21 = await add_group(session, code="KS-21", course=2)
        dt31 = await add_group(session, code="DT-31", course=3)
        closed = await add_group(session, code="PR-11", bot_access=False)
        await add_student(session, group=am21, telegram_id=1001)
        await add_student(session, group=am21, telegram_id=1002, blocked=True)
        await add_student(session, group=am21, telegram_id=1003, status=StudentStatus.EXPELLED)
        await add_student(session, group=am21, telegram_id=None)  # never linked Telegram
        await add_student(session, group=ks21, telegram_id=2001, dorm=dorm)
        await add_student(session, group=dt31, telegram_id=3001)
        await add_student(session, group=closed, telegram_id=4001)
        await add_staff(session, telegram_id=5001, tutor_of=(am21,))
        await add_staff(session, telegram_id=5002, building=main)
        assert am21.id is not None and ks21.id is not None
        return School(am21.id, ks21.id)


@pytest.mark.parametrize(
    ("spec", "chats"),
    [
        ("all", [1001, 2001, 3001, 5001, 5002]),
        ("students", [1001, 2001, 3001]),
        ("staff", [5001, 5002]),
        ("tutors", [5001]),
        ("group:AM-21,KS-21", [1001, 2001]),
        ("group:am 21", [1001]),
        ("course:2", [1001, 2001]),
        ("course:3;tutors", [3001, 5001]),
        ("programme:EL", [1001]),
        ("building:STR16", [1001, 5002]),
        ("dorm", [2001]),
        ("dorm:BAU23", [2001]),
        ("group:PR-11", []),
    ],
)
async def test_spec_reaches_linked_active_unblocked_people(
    sessionmaker: SessionMaker, school: School, spec: str, chats: list[int]
) -> None:
    async with sessionmaker() as session:
        audience = await resolve_audience(session, spec)
    assert list(audience.chat_ids) == chats


async def test_a_tutor_reaches_their_own_group(sessionmaker: SessionMaker, school: School) -> None:
    async with sessionmaker() as session:
        audience = await resolve_audience(
            session, "group:AM-21", limit_to_groups=frozenset({school.am21})
        )
    assert list(audience.chat_ids) == [1001]


@pytest.mark.parametrize("spec", ["group:KS-21", "group:AM-21,KS-21", "all", "course:2"])
async def test_a_tutor_is_refused_other_groups_and_wide_audiences(
    sessionmaker: SessionMaker, school: School, spec: str
) -> None:
    async with sessionmaker() as session:
        with pytest.raises(AudienceError, match="only to their own groups"):
            await resolve_audience(session, spec, limit_to_groups=frozenset({school.am21}))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "Say who"),
        ("everyone", "Unknown audience"),
        ("group:ZZ-99", "No group ZZ-99"),
        ("group:", "at least one code"),
        ("course:seven", "from 1 to 6"),
        ("programme:NOPE", "code NOPE"),
        ("students:AM-21", "takes no codes"),
    ],
)
async def test_a_wrong_spec_is_explained(
    sessionmaker: SessionMaker, school: School, spec: str, message: str
) -> None:
    async with sessionmaker() as session:
        with pytest.raises(AudienceError, match=message):
            await resolve_audience(session, spec)
