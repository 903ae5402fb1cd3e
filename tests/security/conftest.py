"""The security tests use the personal-records school: a group, its students, tutor and admin."""

from tests.personal_records.conftest import records  # noqa: F401  # a fixture, shared
