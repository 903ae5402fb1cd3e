"""What handlers share: the update's context, replies, commands, free-text intents."""
