"""The test suite; it mirrors the packages it tests."""
