"""Paths by which personal data could reach the wrong person, each shut and tested."""
