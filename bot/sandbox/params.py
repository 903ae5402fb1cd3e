"""Typed access to a Bot API call's parameters, however they arrived (JSON, form, multipart)."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import bad_request

ATTACH_PREFIX = "attach://"


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request."""

    file_name: str
    mime_type: str | None
    data: bytes


class Params:
    """The parameters of one call; form values are strings, JSON values keep their types."""

    def __init__(
        self, values: Mapping[str, Any], uploads: Mapping[str, Upload] | None = None
    ) -> None:
        self._values = dict(values)
        self._uploads = dict(uploads or {})

    def __contains__(self, name: str) -> bool:
        return name in self._values or name in self._uploads

    def text(self, name: str) -> str | None:
        """Return a string parameter, or None when it is absent."""
        value = self._values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        raise bad_request(f"parameter {name} must be a string")

    def integer(self, name: str) -> int | None:
        """Return an integer parameter, or None when it is absent or empty."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f"invalid {name} specified")

    def number(self, name: str) -> float | None:
        """Return a numeric parameter, or None when it is absent."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        """Return a boolean parameter; absent means False."""
        value = self._values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in {"true", "1"}
        return bool(value)

    def json(self, name: str) -> Any:
        """Return an object parameter, decoding it when it came as a JSON string."""
        value = self._values.get(name)
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_id(self, name: str = "chat_id") -> int:
        """Return the target chat id; @usernames are channels, which the sandbox has none of."""
        raw = self.text(name)
        if raw is None or not raw.strip():
            raise bad_request(f"{name} is empty")
        try:
            return int(raw)
        except ValueError:
            raise bad_request("chat not found") from None

    def required_integer(self, name: str, missing: str) -> int:
        """Return an integer parameter or fail with Telegram's wording for a missing one."""
        value = self.integer(name)
        if value is None:
            raise bad_request(missing)
        return value

    def upload(self, name: str) -> Upload | None:
        """Return the file uploaded for a parameter, directly or through attach://."""
        if name in self._uploads:
            return self._uploads[name]
        value = self._values.get(name)
        if isinstance(value, str) and value.startswith(ATTACH_PREFIX):
            attached = self._uploads.get(value.removeprefix(ATTACH_PREFIX))
            if attached is None:
                raise bad_request(f"file {value} not found in the request")
            return attached
        return None
