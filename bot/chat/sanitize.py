"""Control characters removed from an update's text once, at the edge, before any handler."""

import re

from telegram import Message, MessageEntity, Update, User

# C0 controls except tab and newline, and DEL: PostgreSQL refuses NUL, and none of them is text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Return text without control characters (newline and tab stay)."""
    return CONTROL.sub("", text)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _shift_entities(
    text: str, entities: tuple[MessageEntity, ...]
) -> tuple[MessageEntity, ...] | None:
    """Move entity offsets (UTF-16 units) past the removed characters; None if none move."""
    removed = [_utf16_length(text[: m.start()]) for m in CONTROL.finditer(text)]
    if not removed or not entities:
        return None

    def new_position(position: int) -> int:
        return position - sum(1 for at in removed if at < position)

    shifted = []
    for entity in entities:
        start = new_position(entity.offset)
        end = new_position(entity.offset + entity.length)
        if end > start:
            with entity._unfrozen():  # PTB objects are frozen; this is its way
                entity.offset, entity.length = start, end - start
            shifted.append(entity)
    return tuple(shifted)


def _clean_message(message: Message) -> bool:
    """Clean a message's text and caption in place; True if anything changed."""
    changed = False
    for text_field, entity_field in (("text", "entities"), ("caption", "caption_entities")):
        text = getattr(message, text_field)
        if not text or not CONTROL.search(text):
            continue
        entities = _shift_entities(text, getattr(message, entity_field))
        with message._unfrozen():  # the one place an update is edited
            setattr(message, text_field, clean_text(text))
            if entities is not None:
                setattr(message, entity_field, entities)
        changed = True
    document = message.document
    if document is not None and document.file_name and CONTROL.search(document.file_name):
        with document._unfrozen():
            document.file_name = clean_text(document.file_name)
        changed = True
    return changed


def _clean_user(user: User) -> bool:
    changed = False
    for name in ("first_name", "last_name", "username"):
        value = getattr(user, name)
        if value and CONTROL.search(value):
            with user._unfrozen():
                setattr(user, name, clean_text(value))
            changed = True
    return changed


def clean_update(update: Update) -> bool:
    """Remove control characters from every text a handler may store; True if any were found."""
    changed = False
    for message in (
        update.message,
        update.edited_message,
        update.channel_post,
        update.edited_channel_post,
    ):
        if message is not None:
            changed |= _clean_message(message)
            if message.from_user is not None:
                changed |= _clean_user(message.from_user)
    if update.effective_user is not None:
        changed |= _clean_user(update.effective_user)
    inline = update.inline_query
    if inline is not None and CONTROL.search(inline.query):
        with inline._unfrozen():
            inline.query = clean_text(inline.query)
        changed = True
    return changed
