"""Handler tests: updates through Application.process_update over the recording fake."""
