"""Import stamps: when each dataset was last imported and how many rows it held."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class ImportStamp(SQLModel, table=True):
    __tablename__ = "import_stamp"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, index=True)
    file_name: str = Field(default="", max_length=255)
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    rows: int = 0
    inserted: int = 0
    updated: int = 0
