"""Moving a live tenant onto new fixtures and scenario files (``--watch``, ``POST /_mock/reload``).

Posts, clock, journal and events stay; brands, pages and boards follow the files as accounts do.
What the tenant changed itself stays too: a fixture entry is replaced only when its file changed
it, so an account the tenant disconnected or a plan it used up is not undone by an unrelated edit.
Later resets start from the new fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from mockserver.core.brands import Brand
from mockserver.core.scenarios import ScenarioDocument
from mockserver.core.tenant import Baseline, Plan

if TYPE_CHECKING:
    from mockserver.core.backend import PublishingBackend

K = TypeVar("K")
V = TypeVar("V")
S = TypeVar("S")


def rebase_tenant(backend: PublishingBackend, new: Baseline, scenarios: tuple[ScenarioDocument, ...]) -> None:
    with backend.lock:
        old = backend.baseline
        backend.accounts = _merge(
            backend.accounts, {a.id: a for a in old.accounts}, {a.id: a for a in new.accounts}, lambda a: a
        )
        # A new fixture account comes with its brand and its pages or boards: without them it could
        # not be published to (400 account.no_active_page) until a reset.
        now = backend.now()
        backend.brands = _merge(
            backend.brands,
            {b.id: b for b in old.brands},
            {b.id: b for b in new.brands},
            lambda seed: Brand(seed.id, seed.name, now, now),
        )
        backend.pages = _merge(backend.pages, {p.id: p for p in old.pages}, {p.id: p for p in new.pages}, lambda p: p)
        backend.boards = _merge(
            backend.boards, {b.id: b for b in old.boards}, {b.id: b for b in new.boards}, lambda b: b
        )
        backend.creator_info = _merge(backend.creator_info, old.creator_info, new.creator_info, lambda info: info)
        items = new.media_items(backend.now())
        backend.media = _merge(
            backend.media, {m.id: m for m in old.media}, {m.id: m for m in new.media}, lambda seed: items[seed.id]
        )
        if new.plan != old.plan:
            used = backend.plan.posts_used if new.plan.posts_used == old.plan.posts_used else new.plan.posts_used
            backend.plan = Plan(new.plan.name, new.plan.posts_limit, used)
        backend.baseline = new
        _rebase_scenarios(backend, scenarios)


def _merge(current: Mapping[K, V], old: Mapping[K, S], new: Mapping[K, S], make: Callable[[S], V]) -> dict[K, V]:
    """``current`` with the entries the files added or changed, and without those they removed."""
    merged = {key: value for key, value in current.items() if key in new or key not in old}
    for key, seed in new.items():
        if key not in old or old[key] != seed:
            merged[key] = make(seed)
    return merged


def _rebase_scenarios(backend: PublishingBackend, scenarios: tuple[ScenarioDocument, ...]) -> None:
    """Swap the file scenarios; an unchanged document keeps its counters, and PUT ones stay."""
    engine = backend.scenarios
    kept = {doc.name for doc in scenarios}
    for doc in backend.initial_scenarios:
        if doc.name not in kept:
            engine.deactivate(doc.name)
    active = {doc.name: doc for doc in engine.documents()}
    for doc in scenarios:
        if active.get(doc.name) != doc:
            engine.activate(doc)
    backend.initial_scenarios = scenarios
