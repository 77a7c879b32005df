"""``Tenant``: one tenant's state with the machinery its areas share, and ``Area``, their base.

An area (posts, accounts, connections, media, webhooks, sinks, the event log, the attempts log) is
a small class of use cases over ``Tenant.state``; it keeps nothing of its own, so a reset or a restore
swaps one object and every area sees it. The facade (``core/backend.py``) builds the areas over one
``Tenant`` and owns its lock; an area method that reads or writes the state takes that lock, which is
re-entrant, so one use case may call another.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from mockserver.core.baseline import Baseline, Shared
from mockserver.core.clock import Clock
from mockserver.core.records.events import EventData, EventRecord
from mockserver.core.scenarios import ScenarioDocument, ScenarioEngine
from mockserver.core.state import TenantState
from mockserver.core.timefmt import format_instant
from mockserver.core.versions import Generation

EventListener = Callable[[EventRecord], None]


class Tenant:
    """What every area of one tenant reads: its state, clock, seed, configuration and lock."""

    def __init__(
        self,
        name: str,
        *,
        seed: int,
        clock: Clock,
        baseline: Baseline,
        scenarios: ScenarioEngine,
        initial_scenarios: tuple[ScenarioDocument, ...],
        journal_size: int,
        events_size: int,
        publish_mode: str,
        generation: Generation,
        shared: Shared,
    ) -> None:
        self.name = name
        self.seed = seed
        self.clock = clock
        self.baseline = baseline
        self.scenarios = scenarios
        self.initial_scenarios = initial_scenarios
        self.journal_size = journal_size
        self.events_size = events_size
        self.publish_mode = publish_mode
        self.generation = generation
        self.shared = shared
        self.lock = threading.RLock()
        # Called with each event record as it is made (the webhook outbox listens).
        self.listeners: list[EventListener] = []
        # Called after ``state`` was replaced (a reset, a restore), for what is rebuilt from it: the
        # outbox's schedule, the server-wide indexes of sink names and consent links.
        self.restored: list[Callable[[], None]] = []
        self.start = clock.now()
        self.state = self.fresh_state()
        # Bumped whenever ``state`` is replaced: results of webhook sends begun before belong to the old one.
        self.epoch = 0

    def fresh_state(self) -> TenantState:
        return TenantState.fresh(
            self.name,
            seed=self.seed,
            baseline=self.baseline,
            start=self.start,
            journal_size=self.journal_size,
            events_size=self.events_size,
        )

    def record_event(self, data: EventData, at: datetime) -> None:
        record = EventRecord(self.state.ids.next("evt_", at), data.event_name, format_instant(at), data)
        self.state.events.append(record)
        for listener in self.listeners:
            listener(record)


class Area:
    """The base of an area: the tenant's state and machinery under the names the use cases read."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    @property
    def state(self) -> TenantState:
        return self.tenant.state

    @property
    def lock(self) -> threading.RLock:
        return self.tenant.lock

    @property
    def clock(self) -> Clock:
        return self.tenant.clock

    def record_event(self, data: EventData, at: datetime) -> None:
        self.tenant.record_event(data, at)
