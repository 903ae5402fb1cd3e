"""The school data importer: CSV/XLSX files -> validated, all-or-nothing upserts."""

from models.importing.engine import import_bytes, import_file
from models.importing.problems import ImportRefused, Problem
from models.importing.registry import KINDS
from models.importing.report import ImportReport
from models.importing.templates import write_templates

__all__ = [
    "KINDS",
    "ImportRefused",
    "ImportReport",
    "Problem",
    "import_bytes",
    "import_file",
    "write_templates",
]
