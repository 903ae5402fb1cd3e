"""A small load balancer for the tests: Telegram's posts go to the web replicas in turn."""

import itertools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

from tests.roles.processes import free_port

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@asynccontextmanager
async def round_robin(path: str, ports: Sequence[int]) -> AsyncIterator[str]:
    """Serve `path` on a free port, passing each post to the next port; yield the public URL.

    A replica that does not answer is skipped for that post, as a load balancer's health
    check would; with none answering the post fails and Telegram retries it.
    """
    turns = itertools.cycle(ports)
    client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        headers = {
            name: value
            for name, value in request.headers.items()
            if name in (SECRET_HEADER, "Content-Type")
        }
        for _ in ports:
            port = next(turns)
            try:
                async with client.post(
                    f"http://127.0.0.1:{port}{path}", data=body, headers=headers
                ) as answer:
                    return web.Response(status=answer.status, body=await answer.read())
            except aiohttp.ClientError:
                continue
        return web.Response(status=502)

    app = web.Application()
    app.router.add_post(path, forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}{path}"
    finally:
        await runner.cleanup()
        await client.close()
