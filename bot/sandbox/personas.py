"""The people the chat page lets you be: supplied by whoever embeds the sandbox."""

from dataclasses import dataclass
from typing import Any, Literal, get_args

from bot.sandbox.state import SandboxUser

Role = Literal["student", "guardian", "tutor", "teacher", "admin", "visitor"]
ROLES: tuple[str, ...] = get_args(Role)


@dataclass(frozen=True)
class Persona:
    """A demo person: how the page lists them, and the Telegram account they write from."""

    key: str
    label: str
    role: Role
    telegram_id: int
    first_name: str
    language_code: str = "lv"
    note: str = ""  # shown under the label, e.g. the link code of a person not yet linked

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"persona role must be one of {', '.join(ROLES)}, not {self.role!r}")
        if not self.key or not self.key.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"persona key must be letters, digits, - or _, not {self.key!r}")

    @property
    def user(self) -> SandboxUser:
        """Return the Telegram account of this persona."""
        return SandboxUser(self.telegram_id, self.first_name, language_code=self.language_code)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "role": self.role,
            "telegram_id": self.telegram_id,
            "first_name": self.first_name,
            "language_code": self.language_code,
            "note": self.note,
        }
