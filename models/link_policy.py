"""The link-code rules as plain values: the keyed hash's secret and the guessing limits."""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class LinkPolicy:
    """What the link-code core needs from the settings, handed to it by the edge."""

    secret: str = field(repr=False)
    max_failures: int = 5  # per Telegram account within lockout_minutes
    lockout_minutes: int = 60
    school_max_failures: int = 100  # across all accounts within school_window_minutes
    school_window_minutes: int = 10

    def __post_init__(self) -> None:
        if not self.secret:
            raise ValueError("a link code secret is needed to hash codes")

    def hash_code(self, code: str) -> str:
        """Return the keyed hash (HMAC-SHA256, hex) that stands for a code in the database."""
        key = self.secret.encode("utf-8")
        return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)

    @property
    def school_window(self) -> timedelta:
        return timedelta(minutes=self.school_window_minutes)

    @property
    def horizon(self) -> timedelta:
        """How long an attempt still counts for a lockout or the school-wide limit."""
        return max(2 * self.lockout, self.school_window)
