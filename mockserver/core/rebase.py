"""Moving a live tenant onto new fixtures and scenario files (``--watch``, ``POST /_mock/reload``).

Posts, clock, journal and events stay; brands, pages and boards follow the files as accounts do.
What the tenant changed itself stays too: a fixture entry is replaced only when its file changed
it, so an account the tenant disconnected or a plan it used up is not undone by an unrelated edit.
Later resets start from the new fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from mockserver.core.baseline import Baseline, Plan
from mockserver.core.records.accounts import Brand
from mockserver.core.scenarios import ScenarioDocument
from mockserver.core.tenancy import Tenant

K = TypeVar("K")
V = TypeVar("V")
S = TypeVar("S")


def rebase_tenant(tenant: Tenant, new: Baseline, scenarios: tuple[ScenarioDocument, ...]) -> None:
    with tenant.lock:
        old = tenant.baseline
        tenant.state.accounts.items = _merge(
            tenant.state.accounts.items, {a.id: a for a in old.accounts}, {a.id: a for a in new.accounts}, lambda a: a
        )
        # A new fixture account comes with its brand and its pages or boards: without them it could
        # not be published to (400 account.no_active_page) until a reset.
        now = tenant.clock.now()
        accounts = tenant.state.accounts
        accounts.brands = _merge(
            accounts.brands,
            {b.id: b for b in old.brands},
            {b.id: b for b in new.brands},
            lambda seed: Brand(seed.id, seed.name, now, now),
        )
        accounts.pages = _merge(accounts.pages, {p.id: p for p in old.pages}, {p.id: p for p in new.pages}, lambda p: p)
        accounts.boards = _merge(
            accounts.boards, {b.id: b for b in old.boards}, {b.id: b for b in new.boards}, lambda b: b
        )
        accounts.creator_info = _merge(accounts.creator_info, old.creator_info, new.creator_info, lambda info: info)
        items = new.media_items(now)
        tenant.state.media.items = _merge(
            tenant.state.media.items,
            {m.id: m for m in old.media},
            {m.id: m for m in new.media},
            lambda seed: items[seed.id],
        )
        if new.plan != old.plan:
            used = tenant.state.plan.posts_used if new.plan.posts_used == old.plan.posts_used else new.plan.posts_used
            tenant.state.plan = Plan(new.plan.name, new.plan.posts_limit, used)
        tenant.baseline = new
        _rebase_scenarios(tenant, scenarios)


def _merge(current: Mapping[K, V], old: Mapping[K, S], new: Mapping[K, S], make: Callable[[S], V]) -> dict[K, V]:
    """``current`` with the entries the files added or changed, and without those they removed."""
    merged = {key: value for key, value in current.items() if key in new or key not in old}
    for key, seed in new.items():
        if key not in old or old[key] != seed:
            merged[key] = make(seed)
    return merged


def _rebase_scenarios(tenant: Tenant, scenarios: tuple[ScenarioDocument, ...]) -> None:
    """Swap the file scenarios; an unchanged document keeps its counters, and PUT ones stay."""
    engine = tenant.scenarios
    kept = {doc.name for doc in scenarios}
    for doc in tenant.initial_scenarios:
        if doc.name not in kept:
            engine.deactivate(doc.name)
    active = {doc.name: doc for doc in engine.documents()}
    for doc in scenarios:
        if active.get(doc.name) != doc:
            engine.activate(doc)
    tenant.initial_scenarios = scenarios
