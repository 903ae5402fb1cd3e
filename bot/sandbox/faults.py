"""Telegram's limits and failures, switchable at runtime: 429 floods, 403 blocks, 5xx, delay."""

import math
import random
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from bot.sandbox.errors import ApiError

BLOCKED = "Forbidden: bot was blocked by the user"
SERVER_ERRORS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
# Methods that deliver a new message: these count against the flood limits.
SENDING_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto"})


def too_many_requests(retry_after: float) -> ApiError:
    """Return Telegram's 429 with a whole number of seconds to wait."""
    seconds = max(1, math.ceil(retry_after))
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


@dataclass
class Faults:
    """What goes wrong, and which limits apply; change the fields at any time."""

    rate_limits: bool = False
    messages_per_second: int = 30
    per_chat_interval: float = 1.0
    group_messages_per_minute: int = 20
    blocked: dict[int, str] = field(default_factory=dict)
    server_error_fraction: float = 0.0
    server_errors_next: int = 0
    server_error_code: int = 500
    delay: float = 0.0
    # Methods the 5xx and delay faults hit; None means every method except getUpdates.
    methods: frozenset[str] | None = None
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    rng: random.Random = field(default_factory=lambda: random.Random(0), repr=False)
    _flood_until: float = field(default=0.0, repr=False)
    _recent: deque[float] = field(default_factory=deque, repr=False)
    _last_in_chat: dict[int, float] = field(default_factory=dict, repr=False)
    _group_recent: defaultdict[int, deque[float]] = field(
        default_factory=lambda: defaultdict(deque), repr=False
    )

    def block(self, chat_id: int, description: str = BLOCKED) -> None:
        """Answer 403 to anything the bot sends to this chat from now on."""
        self.blocked[chat_id] = description

    def unblock(self, chat_id: int) -> None:
        """Let the bot reach this chat again."""
        self.blocked.pop(chat_id, None)

    def flood(self, retry_after: float) -> None:
        """Refuse every message for retry_after seconds, as after a flood of sends."""
        self._flood_until = self.clock() + retry_after

    def hits(self, method: str) -> bool:
        """Tell whether the 5xx and delay faults apply to this (lower-case) method."""
        if self.methods is None:
            return method != "getupdates"
        return method in self.methods

    def server_error(self, method: str) -> ApiError | None:
        """Return the 5xx this request should get, if any."""
        if not self.hits(method):
            return None
        if self.server_errors_next > 0:
            self.server_errors_next -= 1
        elif not (self.server_error_fraction and self.rng.random() < self.server_error_fraction):
            return None
        code = self.server_error_code
        return ApiError(code, SERVER_ERRORS.get(code, "Internal Server Error"))

    def check_send(self, chat_id: int, *, is_group: bool) -> None:
        """Raise the 403 or 429 Telegram would give for one more message to this chat."""
        if chat_id in self.blocked:
            raise ApiError(403, self.blocked[chat_id])
        now = self.clock()
        if now < self._flood_until:
            raise too_many_requests(self._flood_until - now)
        if not self.rate_limits:
            return
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.messages_per_second:
            raise too_many_requests(1.0 - (now - self._recent[0]))
        last = self._last_in_chat.get(chat_id)
        if last is not None and now - last < self.per_chat_interval:
            raise too_many_requests(self.per_chat_interval - (now - last))
        if is_group:
            window = self._group_recent[chat_id]
            while window and now - window[0] >= 60.0:
                window.popleft()
            if len(window) >= self.group_messages_per_minute:
                raise too_many_requests(60.0 - (now - window[0]))

    def record_send(self, chat_id: int, *, is_group: bool) -> None:
        """Count a delivered message against the flood limits."""
        now = self.clock()
        self._recent.append(now)
        self._last_in_chat[chat_id] = now
        if is_group:
            self._group_recent[chat_id].append(now)

    def snapshot(self) -> dict[str, Any]:
        """Return the settings as JSON (for the control endpoint)."""
        return {
            "rate_limits": self.rate_limits,
            "messages_per_second": self.messages_per_second,
            "per_chat_interval": self.per_chat_interval,
            "group_messages_per_minute": self.group_messages_per_minute,
            "blocked": {str(chat): text for chat, text in self.blocked.items()},
            "server_error_fraction": self.server_error_fraction,
            "server_errors_next": self.server_errors_next,
            "server_error_code": self.server_error_code,
            "delay": self.delay,
            "methods": sorted(self.methods) if self.methods is not None else None,
            "flood_remaining": max(0.0, self._flood_until - self.clock()),
        }

    def configure(self, changes: dict[str, Any]) -> None:
        """Apply settings from JSON (for the control endpoint); unknown keys are refused."""
        simple = {f.name for f in fields(self) if not f.name.startswith("_")} - {"clock", "rng"}
        for key, value in changes.items():
            if key == "blocked":
                self.blocked = {
                    int(chat): str(text or BLOCKED) for chat, text in dict(value).items()
                }
            elif key == "methods":
                self.methods = None if value is None else frozenset(str(m).lower() for m in value)
            elif key == "flood":
                self.flood(float(value))
            elif key in simple:
                current = getattr(self, key)
                if isinstance(current, bool) and not isinstance(value, bool):
                    raise ValueError(f"{key} must be true or false")
                setattr(self, key, type(current)(value))
            else:
                raise ValueError(f"unknown fault setting {key!r}")
