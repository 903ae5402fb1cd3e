"""A seeded fuzzer of Telegram updates through the real application."""
