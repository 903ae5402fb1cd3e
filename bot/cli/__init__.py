"""The `schoolbot` command line: one module a group of commands."""
