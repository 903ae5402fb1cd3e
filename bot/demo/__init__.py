"""The demo school generator: a fictional school built from the report's facts and assumptions."""
