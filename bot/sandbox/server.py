"""The emulator over HTTP: /bot<token>/<method> and /file/bot<token>/<path>, as Telegram serves."""

import logging
from typing import Any

from aiohttp import BodyPartReader, hdrs, web

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.errors import ApiError, bad_request, not_found, unauthorized
from bot.sandbox.params import Params, Upload

logger = logging.getLogger(__name__)

EMULATOR_KEY = web.AppKey("emulator", BotApiEmulator)


async def read_params(request: web.Request) -> Params:
    """Collect a call's parameters from the query string and a JSON, form or multipart body."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if not request.can_read_body:
        return Params(values)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad_request("JSON request body must be an object")
        values.update(body)
    elif request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                data = bytes(await part.read(decode=False))
                mime = part.headers.get(hdrs.CONTENT_TYPE)
                uploads[part.name] = Upload(part.filename, mime, data)
            else:
                values[part.name] = await part.text()
    else:
        form = await request.post()
        values.update({key: value for key, value in form.items() if isinstance(value, str)})
    return Params(values, uploads)


def api_response(result: Any = None, error: ApiError | None = None) -> web.Response:
    """Render a Bot API answer: {"ok": true, "result": ...} or Telegram's error body."""
    if error is not None:
        return web.json_response(error.to_api(), status=error.error_code)
    return web.json_response({"ok": True, "result": result})


async def handle_method(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    method = request.match_info["method"]
    try:
        if request.match_info["token"] != emulator.token:
            raise unauthorized()
        result = await emulator.call(method, await read_params(request))
    except ApiError as error:
        logger.debug("sandbox: %s -> %s %s", method, error.error_code, error.description)
        return api_response(error=error)
    return api_response(result)


async def handle_file(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    if request.match_info["token"] != emulator.token:
        return api_response(error=unauthorized())
    stored = emulator.state.file_by_path(request.match_info["path"])
    if stored is None:
        return api_response(error=not_found())
    return web.Response(
        body=stored.data, content_type=stored.mime_type or "application/octet-stream"
    )


def add_bot_api_routes(app: web.Application, emulator: BotApiEmulator) -> None:
    """Serve the Bot API of this emulator under /bot and /file/bot."""
    app[EMULATOR_KEY] = emulator
    app.router.add_route("*", "/bot{token}/{method}", handle_method)
    app.router.add_get("/file/bot{token}/{path:.+}", handle_file)
