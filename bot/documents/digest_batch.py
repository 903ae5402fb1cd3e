"""Make many digests' message, table and chart at once, in worker threads off the event loop."""

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.documents.digest_files import digest_chart, digest_xlsx
from bot.documents.digest_message import digest_message
from models.digest_queries import GroupDigest

# Pillow and zlib let go of the GIL while they compress (a third of the work): a second thread
# makes a large school's files about a fifth faster. More threads would only wait for the GIL.
THREADS = 2


@dataclass(frozen=True)
class DigestFiles:
    """A group's digest in one language: the message, the table and the chart."""

    text: str
    table: bytes
    chart: bytes


async def make_digest_files(
    wanted: Sequence[tuple[GroupDigest, str]], *, limit: int
) -> list[DigestFiles]:
    """Each (digest, language)'s files, in the order asked; the event loop runs meanwhile."""
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="digest-files")
    try:
        return list(
            await asyncio.gather(
                *(loop.run_in_executor(pool, _make, digest, language, limit)
                  for digest, language in wanted)
            )
        )  # fmt: skip
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # on an error, don't block the loop


def _make(digest: GroupDigest, language: str, limit: int) -> DigestFiles:
    return DigestFiles(
        digest_message(digest, language, limit=limit),
        digest_xlsx(digest, language, limit=limit),
        digest_chart(digest, language, limit=limit),
    )
