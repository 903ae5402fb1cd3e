"""The author of an announcement gets the "finished" report once, with no stale progress."""

from bot.db import SessionMaker
from bot.sandbox import Sandbox
from tests.outbox.conftest import SenderFactory, announce_to_students, register_chats

AUTHOR = 9_100_001


async def _announce(sessionmaker: SessionMaker, count: int) -> list[int]:
    _batch, chats = await announce_to_students(
        sessionmaker, count, author=AUTHOR, text="Lessons end at 12:00 on Friday."
    )
    return chats


def _author_sees(sandbox: Sandbox) -> list[str]:
    return [message.text or "" for message in sandbox.emulator.messages_for(AUTHOR)]


async def test_the_finished_report_is_sent_once_in_place_of_the_progress(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    register_chats(sandbox, [*await _announce(sessionmaker, 5), AUTHOR])
    sender = make_sender()
    await sender.progress.tick(force=True)  # the author is shown progress before any send
    assert ["sending" in text for text in _author_sees(sandbox)] == [True]

    await sender.drain()

    seen = _author_sees(sandbox)
    assert len(seen) == 1, seen
    assert "Announcement #1 is finished." in seen[0] and "Sent: 5 of 5" in seen[0]
    assert sandbox.emulator.messages_for(AUTHOR)[0].edit_date is None  # new: it notifies


async def test_the_report_comes_once_when_the_progress_message_is_gone(
    sandbox: Sandbox, sessionmaker: SessionMaker, make_sender: SenderFactory
) -> None:
    register_chats(sandbox, [*await _announce(sessionmaker, 3), AUTHOR])
    sender = make_sender()
    await sender.progress.tick(force=True)
    [progress] = sandbox.emulator.messages_for(AUTHOR)
    sandbox.emulator.state.remove_message(progress)  # the author deleted it

    await sender.drain()

    seen = _author_sees(sandbox)
    assert len(seen) == 1 and "is finished" in seen[0], seen
