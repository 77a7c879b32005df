"""Webhooks: endpoints and their delivery outbox, and the mock's own sinks."""
