"""The pure domain: posts, targets, clock, ids, scenarios. Imports only the stdlib, pydantic and sortedcontainers."""
