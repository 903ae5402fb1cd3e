"""Link codes cannot be guessed: lockouts survive /forget, a school-wide limit, keyed hashes."""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.app import SchoolApplication
from bot.config import Settings
from bot.db import SessionMaker
from models.accounts import LinkCode, TelegramAccount
from models.audit import AuditEntry
from models.link_policy import LinkPolicy
from models.linking import LinkOutcome, issue_code, redeem
from models.outbox import OutboxMessage
from tests.builders import add_group, add_student
from tests.fake_telegram import RecordingRequest, callback_update, make_user, text_update

GUESSER = make_user(7301, first_name="Guesser", language_code="en")
NEWCOMER = make_user(7302, first_name="Newcomer", language_code="en")
ADMIN_ID = 7399
WRONG = ["ZZZZ-2222", "ZZZZ-2223", "ZZZZ-2224", "ZZZZ-2225", "ZZZZ-2226", "ZZZZ-2227"]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def a_code(sessionmaker: SessionMaker, policy: LinkPolicy, number: str = "S1") -> str:
    """Add a student (and their group, once) and return a fresh code for them."""
    async with sessionmaker.begin() as session:
        group = await add_group(session, code=f"G-{number}")
        student = await add_student(session, group=group, number=number)
        return await issue_code(
            session, student_id=student.id, ttl_days=30, now=datetime.now(UTC), policy=policy
        )


async def linked(sessionmaker: SessionMaker, telegram_id: int) -> bool:
    async with sessionmaker() as session:
        account = await session.scalar(
            select(TelegramAccount).where(col(TelegramAccount.telegram_id) == telegram_id)
        )
    return account is not None and account.student_id is not None


async def test_forget_does_not_reset_the_lockout(
    app: SchoolApplication,
    telegram: RecordingRequest,
    sessionmaker: SessionMaker,
    settings: Settings,
) -> None:
    code = await a_code(sessionmaker, settings.link_policy)
    for wrong in WRONG[:5]:
        await app.process_update(text_update(app.bot, wrong, GUESSER))
    assert "locked until" in telegram.last_text(GUESSER.id)

    await app.process_update(text_update(app.bot, "/forget", GUESSER))
    await app.process_update(callback_update(app.bot, "forget:yes", GUESSER))
    await app.process_update(text_update(app.bot, code, GUESSER))

    assert "locked until" in telegram.last_text(GUESSER.id)
    assert not await linked(sessionmaker, GUESSER.id)


class TestSchoolWideLimit:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(
            update={"link_school_max_failures": 6, "admin_telegram_ids": [ADMIN_ID]}
        )

    async def test_many_accounts_pause_checks_for_everyone_and_admins_hear_once(
        self,
        app: SchoolApplication,
        telegram: RecordingRequest,
        sessionmaker: SessionMaker,
        settings: Settings,
    ) -> None:
        code = await a_code(sessionmaker, settings.link_policy)
        for n in range(12):  # 12 accounts, one or two wrong codes each: none is locked out
            guesser = make_user(7400 + n // 2, language_code="en")
            await app.process_update(text_update(app.bot, WRONG[n % 2], guesser))

        await app.process_update(text_update(app.bot, code, NEWCOMER))

        assert "code checks are paused for everyone" in telegram.last_text(NEWCOMER.id)
        assert not await linked(sessionmaker, NEWCOMER.id)
        async with sessionmaker() as session:
            notices = list(
                await session.scalars(
                    select(OutboxMessage).where(col(OutboxMessage.chat_id) == ADMIN_ID)
                )
            )
        assert len(notices) == 1
        assert "10 min: 6," in notices[0].text  # in Latvian: the admin has not written yet
        assert notices[0].dedupe_key.startswith("link-guard:")

    async def test_a_long_attack_is_one_episode_and_a_later_one_is_another(
        self, sessionmaker: SessionMaker, settings: Settings
    ) -> None:
        policy = settings.link_policy  # 6 failures in 10 minutes
        async with sessionmaker.begin() as session:
            alarms = []
            paused = 0
            for second in range(0, 40 * 60, 20):  # a guess every 20 s for 40 minutes
                result = await redeem(
                    session,
                    telegram_id=8000 + second,
                    text="ZZZZ-2222",
                    now=NOW + timedelta(seconds=second),
                    policy=policy,
                )
                paused += result.outcome is LinkOutcome.SCHOOL_PAUSED
                alarms += [result.alarm] if result.alarm else []
            later = NOW + timedelta(hours=2)
            for n in range(6):
                result = await redeem(
                    session, telegram_id=9000 + n, text="ZZZZ-2222", now=later, policy=policy
                )
                alarms += [result.alarm] if result.alarm else []
        assert paused > 90  # of 120 guesses, at most 6 per 10 minutes were checked
        assert len(alarms) == 2 and alarms[0].key != alarms[1].key
        assert alarms[1].failures == 6 and alarms[1].accounts == 6


async def test_stored_value_is_an_hmac_that_changes_with_the_secret(
    sessionmaker: SessionMaker,
) -> None:
    first, second = LinkPolicy("first-secret-0123456789"), LinkPolicy("second-secret-012345678")
    code = await a_code(sessionmaker, first)
    plain = code.replace("-", "")
    async with sessionmaker.begin() as session:
        stored = await session.scalar(select(LinkCode.code_hash))
        other_secret = await redeem(session, telegram_id=1, text=code, now=NOW, policy=second)
    expected = hmac.new(b"first-secret-0123456789", plain.encode(), hashlib.sha256).hexdigest()
    assert stored == expected == first.hash_code(plain)
    assert second.hash_code(plain) != stored
    assert other_secret.outcome is LinkOutcome.WRONG


async def test_a_plain_sha256_of_the_code_is_not_what_is_stored(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    code = await a_code(sessionmaker, settings.link_policy)
    async with sessionmaker() as session:
        stored = await session.scalar(select(LinkCode.code_hash))
    assert stored != hashlib.sha256(code.replace("-", "").encode()).hexdigest()


async def test_a_code_stored_the_old_unsalted_way_no_longer_links(
    sessionmaker: SessionMaker, settings: Settings
) -> None:
    async with sessionmaker.begin() as session:
        group = await add_group(session, code="AM-21")
        student = await add_student(session, group=group, number="S1")
        session.add(
            LinkCode(
                code_hash=hashlib.sha256(b"K7QM4XPA").hexdigest(),
                student_id=student.id,
                expires_at=NOW + timedelta(days=30),
            )
        )
    async with sessionmaker.begin() as session:
        result = await redeem(
            session, telegram_id=1, text="K7QM-4XPA", now=NOW, policy=settings.link_policy
        )
        failed = await session.scalar(
            select(AuditEntry.detail).where(col(AuditEntry.action) == "link:failed")
        )
    assert result.outcome is LinkOutcome.WRONG and failed == "wrong"
