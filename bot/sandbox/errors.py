"""The Bot API's error answers: one exception carrying Telegram's code, text and parameters."""

from typing import Any


class ApiError(Exception):
    """A request Telegram would refuse; rendered as {"ok": false, ...} with this status."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_api(self) -> dict[str, Any]:
        """Return the JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """Return a 400 with Telegram's "Bad Request: ..." wording."""
    return ApiError(400, f"Bad Request: {reason}")


def not_found() -> ApiError:
    """Return the 404 Telegram gives for an unknown method."""
    return ApiError(404, "Not Found")


def unauthorized() -> ApiError:
    """Return the 401 Telegram gives for a wrong token."""
    return ApiError(401, "Unauthorized")
