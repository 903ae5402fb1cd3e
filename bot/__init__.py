"""schoolbot: a Telegram assistant for a vocational school."""
