"""Issuing and redeeming codes in the database, without Telegram."""

import hmac
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.config import Settings
from bot.db import SessionMaker
from models.accounts import LinkCode, TelegramAccount
from models.audit import AuditEntry
from models.link_code_format import ALPHABET, normalize_code
from models.linking import LinkOutcome, issue_code, issue_codes_for_group, redeem
from models.school import StudentStatus
from tests.application import POLICY
from tests.builders import add_group, add_student

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["K7QM-4XPA", "k7qm4xpa", " K7QM4XPA ", "k7qm-4xpa"])
def test_code_is_read_with_or_without_dash_in_any_case(text: str) -> None:
    assert normalize_code(text) == "K7QM4XPA"


@pytest.mark.parametrize(
    "text",
    [
        "AM-21",
        "ABC-12",
        "rīt",
        "absences",
        "ABCDEFGH",
        "23456789",
        "K7QM-4XPO",
        "K7QM--4XPA",
        "K7QM-4XPA1",
        "K7Q",
        "K7QM 4XPA",
        "<b>K7QM4XPA</b>",
        "1' OR '1'='1",
    ],
)
def test_other_text_is_not_a_code(text: str) -> None:
    assert normalize_code(text) is None


async def test_issued_code_is_stored_only_as_its_hash(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session)
        student = await add_student(session, group=group, number="S1")
        code = await issue_code(session, student_id=student.id, ttl_days=30, now=NOW, policy=POLICY)
    async with sessionmaker() as session:
        row = await session.scalar(select(LinkCode))
    plain = code.replace("-", "")
    assert len(plain) == 8 and set(plain) <= set(ALPHABET) and code[4] == "-"
    assert row is not None
    assert row.code_hash == hmac.new(POLICY.secret.encode(), plain.encode(), "sha256").hexdigest()
    assert row.expires_at == NOW + timedelta(days=30)


async def test_new_code_retires_the_older_unused_one(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session)
        student = await add_student(session, group=group, number="S1")
        old = await issue_code(session, student_id=student.id, ttl_days=30, now=NOW, policy=POLICY)
        new = await issue_code(session, student_id=student.id, ttl_days=30, now=NOW, policy=POLICY)
    async with sessionmaker.begin() as session:
        first = await redeem(session, telegram_id=1, text=old, now=NOW, policy=settings.link_policy)
        second = await redeem(
            session, telegram_id=1, text=new, now=NOW, policy=settings.link_policy
        )
    assert first.outcome is LinkOutcome.EXPIRED
    assert second.outcome is LinkOutcome.LINKED


async def test_group_codes_skip_inactive_students(sessionmaker: SessionMaker) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session)
        await add_student(session, group=group, number="S1", last_name="Bē", first_name="Audzēknis")
        await add_student(session, group=group, number="S2", last_name="Ā", first_name="Audzēknis")
        await add_student(session, group=group, number="S3", status=StudentStatus.EXPELLED)
        issued = await issue_codes_for_group(
            session, group=group, ttl_days=30, now=NOW, policy=POLICY
        )
    assert [item.number for item in issued] == ["S2", "S1"]
    assert len({item.code for item in issued}) == 2


async def test_redeem_links_and_writes_one_transaction_of_rows(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session)
        student = await add_student(session, group=group, number="S1")
        code = await issue_code(session, student_id=student.id, ttl_days=30, now=NOW, policy=POLICY)
    async with sessionmaker.begin() as session:
        result = await redeem(
            session, telegram_id=77, text=code, now=NOW, policy=settings.link_policy
        )
    async with sessionmaker() as session:
        account = await session.scalar(
            select(TelegramAccount).where(col(TelegramAccount.telegram_id) == 77)
        )
        used = await session.scalar(select(LinkCode))
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert result.outcome is LinkOutcome.LINKED and result.group_code == "AM-21"
    assert account is not None and account.student_id == student.id
    assert used is not None and used.used_at == NOW and used.used_by == 77
    assert actions == ["link"]


async def test_lockout_ends_after_the_lockout_time(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session)
        student = await add_student(session, group=group, number="S1")
        code = await issue_code(session, student_id=student.id, ttl_days=30, now=NOW, policy=POLICY)
    outcomes = []
    async with sessionmaker.begin() as session:
        for minute in range(5):
            result = await redeem(
                session,
                telegram_id=5,
                text="ZZZZ-2222",
                now=NOW + timedelta(minutes=minute),
                policy=settings.link_policy,
            )
            outcomes.append(result.outcome)
        during = await redeem(
            session,
            telegram_id=5,
            text=code,
            now=NOW + timedelta(minutes=30),
            policy=settings.link_policy,
        )
        after = await redeem(
            session,
            telegram_id=5,
            text=code,
            now=NOW + timedelta(minutes=65),
            policy=settings.link_policy,
        )
    assert outcomes == [LinkOutcome.WRONG] * 4 + [LinkOutcome.LOCKED_OUT]
    assert during.outcome is LinkOutcome.LOCKED_OUT
    assert during.locked_until == NOW + timedelta(minutes=64)
    assert after.outcome is LinkOutcome.LINKED


async def test_failures_spread_over_more_than_an_hour_do_not_lock(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    async with sessionmaker.begin() as session:
        results = [
            await redeem(
                session,
                telegram_id=5,
                text="ZZZZ-2222",
                now=NOW + timedelta(minutes=20 * n),
                policy=settings.link_policy,
            )
            for n in range(6)
        ]
    assert {r.outcome for r in results} == {LinkOutcome.WRONG}
