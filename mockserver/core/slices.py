"""Long work in slices: a generator that pauses (yields None) between slices and returns its result.

A big CSV import or an advance that fires many posts would hold the event loop, and so every
tenant, for seconds. As slices, the HTTP layer lets other tenants' requests run in the pauses and
holds this tenant's own requests until the end, so each tenant still sees its calls happen one
after another and its results stay deterministic. ``run_to_end`` runs the work without pauses.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

# Posts fired, or rows imported, between two pauses: about 10 ms of work.
SLICE_SIZE = 250

T = TypeVar("T")
Slices = Generator[None, None, T]


def run_to_end(work: Slices[T]) -> T:
    while True:
        try:
            next(work)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
