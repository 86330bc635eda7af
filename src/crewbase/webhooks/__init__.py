"""Signed webhooks out (API-4): endpoints, events written to the outbox, HMAC signing."""
