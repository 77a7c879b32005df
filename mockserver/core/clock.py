"""Time sources. This module is the only place in the package that reads the wall clock.

Domain time always comes from a ``Clock`` handed to the backend; a ``FakeClock`` moves only when
told to, a ``RealtimeClock`` follows the wall clock from a chosen start instant.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

from mockserver.core import messages
from mockserver.core.timefmt import format_instant


class ClockError(ValueError):
    """The clock was asked to move backwards."""


class Clock(Protocol):
    mode: str
    # Fake seconds per wall second (the realtime clock's ``--speed``); 1 for a manual clock.
    speed: float

    def now(self) -> datetime: ...

    def move_to(self, instant: datetime) -> None: ...

    def restart(self, start: datetime) -> None: ...


class FakeClock:
    """A clock that moves only through ``advance`` / ``move_to`` and never backwards."""

    mode = "manual"
    speed = 1.0

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime; pass tzinfo=UTC")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self.move_to(self._now + delta)

    def move_to(self, instant: datetime) -> None:
        instant = instant.astimezone(UTC)
        if instant < self._now:
            raise ClockError(messages.CLOCK_BACKWARDS.format(now=format_instant(self._now)))
        self._now = instant

    def restart(self, start: datetime) -> None:
        """Back to ``start``: only a tenant reset may do this."""
        self._now = start.astimezone(UTC)


class RealtimeClock:
    """Starts at ``start`` and then follows wall time, ``speed`` fake seconds per wall second;
    ``move_to`` jumps ahead by an offset."""

    mode = "realtime"

    def __init__(self, start: datetime, *, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError(f"the clock's speed must be positive, not {speed}")
        self.speed = speed
        self._start = start.astimezone(UTC)
        self._origin = time.monotonic()
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return self._start + timedelta(seconds=(time.monotonic() - self._origin) * self.speed) + self._offset

    def move_to(self, instant: datetime) -> None:
        current = self.now()
        if instant < current:
            raise ClockError(messages.CLOCK_BACKWARDS.format(now=format_instant(current)))
        self._offset += instant - current

    def restart(self, start: datetime) -> None:
        self._start = start.astimezone(UTC)
        self._origin = time.monotonic()
        self._offset = timedelta(0)


def wall_now() -> datetime:
    """The real time, for things that are not domain time (file stamps in benchmark reports)."""
    return datetime.now(UTC)


def wall_minute() -> datetime:
    """The real time's current minute (seconds dropped): where ``--start-time now`` starts the clock,
    so a local app's "in five minutes" lands ahead of the mock's clock rather than years away."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def monotonic() -> float:
    return time.monotonic()
