"""The "data as of" line that ends every personal answer."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import gettext_for


def as_of_line(when: datetime | None, language: str, tz: ZoneInfo) -> str:
    """Say when the school's data was last imported, in the viewer's language and time zone."""
    _ = gettext_for(language)
    if when is None:
        return _("<i>No data has been imported yet.</i>")
    return _("<i>Data as of {time}.</i>").format(
        time=when.astimezone(tz).strftime("%d.%m.%Y %H:%M")
    )
