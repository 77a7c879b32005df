"""Long work in slices: a generator that pauses (yields None) between slices and returns its result.

A big CSV import or an advance that fires many posts would hold the event loop, and so every
tenant, for seconds. As slices, the HTTP layer lets other tenants' requests run in the pauses and
holds this tenant's own requests until the end, so each tenant still sees its calls happen one
after another and its results stay deterministic. ``run_to_end`` runs the work without pauses.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from typing import TypeVar

from mockserver.core.clock import monotonic

# How long a slice may run before it pauses. Pausing by time rather than by count keeps other
# tenants' waits short however slow each item is; results do not depend on where the pauses fall,
# since the tenant's own requests wait for the whole work.
SLICE_SECONDS = 0.005

T = TypeVar("T")
U = TypeVar("U")
Slices = Generator[None, None, T]


def run_to_end(work: Slices[T]) -> T:
    while True:
        try:
            next(work)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


class Pacer:
    """Says when the running slice has had its time; ``restart`` after each pause."""

    __slots__ = ("_seconds", "_until")

    def __init__(self, seconds: float = SLICE_SECONDS) -> None:
        self._seconds = seconds
        self._until = monotonic() + seconds

    def restart(self) -> None:
        self._until = monotonic() + self._seconds

    def spent(self) -> bool:
        return monotonic() >= self._until


def map_in_slices(function: Callable[[T], U], items: Iterable[T], pacer: Pacer | None = None) -> Slices[list[U]]:
    """``[function(item) for item in items]``, pausing between slices (a large answer's shaping)."""
    pacer = pacer or Pacer()
    out: list[U] = []
    for item in items:
        out.append(function(item))
        if pacer.spent():
            yield
            pacer.restart()
    return out
