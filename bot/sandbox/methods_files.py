"""Bot API methods for files: send a document or photo, look a file up for download."""

import mimetypes
from io import BytesIO
from typing import Any

from PIL import Image, UnidentifiedImageError

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.methods_messages import keep_keyboard, reply_target
from bot.sandbox.params import Params
from bot.sandbox.state import StoredFile
from bot.sandbox.store import SandboxState
from bot.sandbox.validation import caption, reply_markup

UPLOAD_LIMIT = 50 * 1024 * 1024
PHOTO_LIMIT = 10 * 1024 * 1024
DOWNLOAD_LIMIT = 20 * 1024 * 1024


def image_size(data: bytes) -> tuple[int, int]:
    """Return a picture's width and height, or raise Telegram's error for a non-picture."""
    try:
        with Image.open(BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        raise bad_request("IMAGE_PROCESS_FAILED") from None


def guess_mime(file_name: str, given: str | None) -> str | None:
    """Return a useful MIME type: the sender's, unless it is the generic one, else the name's."""
    if given and given != "application/octet-stream":
        return given
    return mimetypes.guess_type(file_name)[0] or given


def incoming_file(state: SandboxState, params: Params, kind: str) -> StoredFile:
    """Return the file a send names: a fresh upload, or the file_id of an earlier one."""
    upload = params.upload(kind)
    if upload is not None:
        if len(upload.data) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        if kind == "photo":
            if len(upload.data) > PHOTO_LIMIT:
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            size = image_size(upload.data)
        else:
            size = (0, 0)
        mime = guess_mime(upload.file_name, upload.mime_type)
        return state.store_file(kind, upload.data, upload.file_name, mime, size)
    reference = params.text(kind)
    if not reference:
        raise bad_request(f"there is no {kind} in the request")
    if reference.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")  # the sandbox has no internet
    stored = state.files.get(reference)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind != kind:
        raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
    return stored


async def send_file(state: SandboxState, params: Params, kind: str) -> Any:
    chat = state.chat(params.chat_id())
    stored = incoming_file(state, params, kind)
    text, entities = caption(params)
    markup = reply_markup(params.json("reply_markup"))
    reply_to = reply_target(state, chat, params)
    state.before_send(chat)
    message = state.add_message(
        chat,
        state.bot,
        caption=text,
        caption_entities=entities,
        reply_markup=markup,
        protect_content=params.flag("protect_content"),
        reply_to=reply_to,
        **{kind: stored},
    )
    keep_keyboard(chat, markup)
    state.after_send(chat)
    return message.to_api()


async def send_document(state: SandboxState, params: Params) -> Any:
    return await send_file(state, params, "document")


async def send_photo(state: SandboxState, params: Params) -> Any:
    return await send_file(state, params, "photo")


async def get_file(state: SandboxState, params: Params) -> Any:
    stored = state.files.get(params.text("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > DOWNLOAD_LIMIT:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }


METHODS = {"senddocument": send_document, "sendphoto": send_photo, "getfile": get_file}
