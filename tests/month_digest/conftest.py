"""The digest tests use the records fixture: a group with a tutor, absences and marks."""

from tests.personal_records.conftest import records  # noqa: F401  # a fixture
