"""Import every table module so SQLModel.metadata knows the whole schema."""

from sqlmodel import SQLModel

from models import (  # noqa: F401  # imported for their tables
    accounts,
    acknowledgements,
    announcements,
    attendance,
    audit,
    chat_allow_list,
    consultations,
    demo,
    digest_runs,
    guardians,
    import_stamps,
    marks,
    outbox,
    practice,
    school,
    timetable,
)

metadata = SQLModel.metadata
