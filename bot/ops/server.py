"""The operations port: GET /healthz (JSON, 200 or 503) and GET /metrics (Prometheus text)."""

import json
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.chat.context import BotData
from bot.ops.health import check_health

logger = logging.getLogger(__name__)

DATA_KEY = web.AppKey("data", BotData)


async def healthz(request: web.Request) -> web.Response:
    health = await check_health(request.app[DATA_KEY])
    body = json.dumps({"healthy": health.healthy, **health.checks}, default=str, indent=1)
    return web.Response(
        text=body, status=200 if health.healthy else 503, content_type="application/json"
    )


async def metrics(request: web.Request) -> web.Response:
    data = request.app[DATA_KEY]
    await check_health(data)  # refreshes the outbox gauge from the database
    return web.Response(
        body=generate_latest(data.metrics.registry),
        headers={"Content-Type": CONTENT_TYPE_LATEST},
    )


async def start_ops_server(data: BotData, *, host: str, port: int) -> web.AppRunner:
    """Serve /healthz and /metrics on host:port until the returned runner is cleaned up."""
    app = web.Application()
    app[DATA_KEY] = data
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    logger.info("health and metrics on http://%s:%s/healthz and /metrics", host, port)
    return runner
