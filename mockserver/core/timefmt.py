"""RFC 3339 parsing and formatting, shared by every layer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=4096)
def format_instant(instant: datetime) -> str:
    """``2026-01-01T00:00:00Z``, with microseconds only when they are not zero.

    Cached: a fake clock repeats the same few instants across thousands of posts.
    """
    if instant.microsecond:
        return instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: str) -> datetime:
    """Parse an RFC 3339 timestamp with an offset; naive or malformed input raises ValueError."""
    if not isinstance(text, str) or len(text) < 20 or text[10] not in "Tt ":
        raise ValueError("expected an RFC 3339 timestamp such as 2026-01-01T09:00:00Z")
    value = datetime.fromisoformat(text.replace("z", "Z"))
    if value.tzinfo is None:
        raise ValueError("the timestamp needs a UTC offset or Z")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the timestamp is out of range") from None


def epoch_micros(instant: datetime) -> int:
    delta = instant - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_epoch_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)
