"""RFC 3339 parsing and formatting, shared by every layer."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The last instant RFC 3339 (four-digit years) and ``datetime`` can both express.
MAX_INSTANT = datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
# RFC 3339 section 5.6, nothing more: no week or ordinal dates, no basic format, no ``+0100``.
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)


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
    if not isinstance(text, str) or not _RFC3339.fullmatch(text):
        if isinstance(text, str) and _RFC3339.fullmatch(text + "Z"):
            raise ValueError("the timestamp needs a UTC offset or Z")
        raise ValueError("expected an RFC 3339 timestamp such as 2026-01-01T09:00:00Z")
    try:
        value = datetime.fromisoformat(text.replace("z", "Z").replace("t", "T"))
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError("the timestamp is not a valid instant (out of range, or no such date)") from None


def shifted(instant: datetime, delta: timedelta) -> datetime:
    """``instant + delta``, held at ``MAX_INSTANT``: deadlines near the end of time stay expressible."""
    try:
        later = instant + delta
    except OverflowError:
        return MAX_INSTANT
    return min(later, MAX_INSTANT)


def epoch_micros(instant: datetime) -> int:
    delta = instant - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_epoch_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)
