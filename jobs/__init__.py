"""Scheduled and background work: digests, the outbox sender, notifications."""
