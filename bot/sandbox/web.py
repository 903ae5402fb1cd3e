"""The chat page and its JSON API: pick a persona, read their chat, write, press, upload."""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.methods_files import UPLOAD_LIMIT
from bot.sandbox.personas import Persona
from bot.sandbox.server import EMULATOR_KEY, add_bot_api_routes
from bot.sandbox.view import chat_view

STATIC = Path(__file__).parent / "static"
LONG_POLL_SECONDS = 20.0
INLINE_ANSWER_SECONDS = 10.0
PERSONAS_KEY = web.AppKey("personas", dict)
NO_CACHE = {"Cache-Control": "no-store"}


def _emulator(request: web.Request) -> BotApiEmulator:
    return request.app[EMULATOR_KEY]


def _persona(request: web.Request) -> Persona:
    personas: dict[int, Persona] = request.app[PERSONAS_KEY]
    try:
        persona = personas.get(int(request.match_info["user_id"]))
    except ValueError:
        persona = None
    if persona is None:
        raise web.HTTPNotFound(text="no such persona")
    return persona


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="expected a JSON object") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    return body


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html", headers=NO_CACHE)


async def list_personas(request: web.Request) -> web.Response:
    personas: dict[int, Persona] = request.app[PERSONAS_KEY]
    bot = _emulator(request).bot
    return web.json_response(
        {
            "bot": {"first_name": bot.first_name, "username": bot.username},
            "personas": [p.to_json() for p in personas.values()],
        }
    )


async def show_chat(request: web.Request) -> web.Response:
    """Return the persona's chat; with ?since=<version>, wait until something changed."""
    persona = _persona(request)
    state = _emulator(request).state
    since = request.query.get("since")
    if since is not None and since.isdigit():
        await state.signal.wait_until(lambda: state.signal.version > int(since), LONG_POLL_SECONDS)
    return web.json_response(
        chat_view(state, persona.telegram_id, persona.language_code), headers=NO_CACHE
    )


async def post_message(request: web.Request) -> web.Response:
    persona = _persona(request)
    text = str((await _json_body(request)).get("text", ""))
    try:
        message = await _emulator(request).user_sends(persona.user, text)
    except ValueError as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    return web.json_response({"message_id": message.message_id})


async def press_button(request: web.Request) -> web.Response:
    persona = _persona(request)
    body = await _json_body(request)
    try:
        query_id = await _emulator(request).press_button(
            persona.user, int(body.get("message_id", 0)), str(body.get("data", ""))
        )
    except ValueError as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    return web.json_response({"query_id": query_id})


async def post_inline_query(request: web.Request) -> web.Response:
    """Type "@bot query" as the persona; answer with the bot's results once it replies."""
    persona = _persona(request)
    query = str((await _json_body(request)).get("query", ""))
    emulator = _emulator(request)
    query_id = await emulator.inline_query(persona.user, query)
    try:
        results = await emulator.inline_answer(query_id, timeout=INLINE_ANSWER_SECONDS)
    except TimeoutError:
        raise web.HTTPGatewayTimeout(text="the bot did not answer the inline query") from None
    return web.json_response({"query_id": query_id, "results": results})


async def upload_file(request: web.Request) -> web.Response:
    """Send a file from the page: pictures go as photos, everything else as documents."""
    persona = _persona(request)
    post = await request.post()
    upload = post.get("file")
    if not isinstance(upload, web.FileField):
        raise web.HTTPBadRequest(text="expected a file field")
    data = upload.file.read()
    caption = str(post.get("caption", "")) or None
    emulator = _emulator(request)
    if upload.content_type in {"image/jpeg", "image/png"}:
        message = await emulator.send_photo(persona.user, data, caption=caption)
    else:
        message = await emulator.send_document(
            persona.user, upload.filename, data, mime_type=upload.content_type, caption=caption
        )
    return web.json_response({"message_id": message.message_id})


async def download_file(request: web.Request) -> web.Response:
    stored = _emulator(request).state.files.get(request.match_info["file_id"])
    if stored is None:
        raise web.HTTPNotFound(text="no such file")
    disposition = "inline" if stored.kind == "photo" else "attachment"
    quoted = json.dumps(stored.file_name, ensure_ascii=True)
    return web.Response(
        body=stored.data,
        content_type=stored.mime_type or "application/octet-stream",
        headers={"Content-Disposition": f"{disposition}; filename={quoted}"},
    )


async def show_faults(request: web.Request) -> web.Response:
    emulator = _emulator(request)
    return web.json_response(
        {"faults": emulator.faults.snapshot(), "delivered": dict(emulator.state.delivered)}
    )


async def change_faults(request: web.Request) -> web.Response:
    """Switch faults at runtime, e.g. {"rate_limits": true, "blocked": {"42": ""}}."""
    emulator = _emulator(request)
    try:
        emulator.faults.configure(await _json_body(request))
    except (TypeError, ValueError) as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    emulator.state.changed()
    return await show_faults(request)


async def favicon(request: web.Request) -> web.FileResponse:
    """The page's icon, for browsers that ask for /favicon.ico."""
    return web.FileResponse(STATIC / "favicon.svg", headers={"Content-Type": "image/svg+xml"})


def create_web_app(emulator: BotApiEmulator, personas: Sequence[Persona]) -> web.Application:
    """Build the one aiohttp app that serves the Bot API, the page and its JSON API."""
    app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024)
    add_bot_api_routes(app, emulator)
    app[PERSONAS_KEY] = {persona.telegram_id: persona for persona in personas}
    for persona in personas:
        emulator.register_user(persona.user)
    app.router.add_get("/", index)
    app.router.add_static("/static/", STATIC)
    app.router.add_get("/favicon.ico", favicon)  # asked for by browsers whatever the page says
    app.router.add_get("/api/personas", list_personas)
    app.router.add_get("/api/chats/{user_id}", show_chat)
    app.router.add_post("/api/chats/{user_id}/messages", post_message)
    app.router.add_post("/api/chats/{user_id}/callbacks", press_button)
    app.router.add_post("/api/chats/{user_id}/files", upload_file)
    app.router.add_post("/api/chats/{user_id}/inline", post_inline_query)
    app.router.add_get("/api/files/{file_id}", download_file)
    app.router.add_get("/api/faults", show_faults)
    app.router.add_post("/api/faults", change_faults)
    return app
