"""``MockServer``: the one object behind the CLI, the ASGI app and the pytest plugin.

It owns the settings, the loaded fixtures and scenarios, and the tenants, each created on first use
of its API key from the fixtures.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property

from starlette.applications import Starlette

from mockserver.api.app import create_app
from mockserver.core.backend import PublishingBackend
from mockserver.core.baseline import Shared
from mockserver.core.clock import Clock, FakeClock, RealtimeClock
from mockserver.core.errors import LimitReached
from mockserver.core.ids import stable_seed
from mockserver.core.rebase import rebase_tenant
from mockserver.core.scenarios import ScenarioDocument, ScenarioEngine
from mockserver.core.snapshot import claim_holder
from mockserver.loading.fixtures import FixtureSet, load_fixtures
from mockserver.loading.scenarios import read_startup_scenario_file
from mockserver.readiness import Readiness
from mockserver.settings import Settings
from mockserver.webhook_sender import WebhookSender


class MockServer:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        fixtures: FixtureSet | None = None,
        scenarios: Sequence[ScenarioDocument] | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.fixtures = fixtures or load_fixtures(self.settings.fixtures_dir)
        if scenarios is None:
            scenarios = [read_startup_scenario_file(path) for path in self.settings.scenario_files]
        self.scenarios: tuple[ScenarioDocument, ...] = tuple(scenarios)
        self._tenants: dict[str, PublishingBackend] = {}
        self._lock = threading.Lock()
        self.shared = Shared(max_media_bytes=self.settings.max_media_bytes, media_held=self._media_held)
        # Tenants running long work in slices; their other requests wait for the event (api/http.py).
        self.busy: dict[str, asyncio.Event] = {}
        # Request ids of requests that belong to no tenant (missing or bad keys).
        self.anonymous_ids = random.Random(stable_seed(self.settings.seed, "anonymous"))
        self.readiness = Readiness.READY
        self._startup: list[Callable[[], object]] = []

    def defer(self, step: Callable[[], object]) -> None:
        """Run ``step`` once the server listens (a large state file, say); until then it is STARTING.

        The API answers 503 while starting, so nothing a client sends races the step.
        """
        self._startup.append(step)
        self.readiness = Readiness.STARTING

    def finish_startup(self) -> None:
        """Run the deferred steps in order, then become READY. Blocking: call it off the event loop."""
        while self._startup:
            self._startup.pop(0)()
        if self.readiness is Readiness.STARTING:
            self.readiness = Readiness.READY

    def mark_stopping(self) -> None:
        """Shutdown has begun: ``/_mock/ready`` answers 503 so load balancers and CI stop sending."""
        self.readiness = Readiness.STOPPING

    def tenant(self, api_key: str) -> PublishingBackend:
        """The tenant of ``api_key``, created from the fixtures on first use.

        A key made through ``POST /v1/keys`` opens the team that made it (revoked or not: whether it
        still works is the tenant's to say), so it never opens a new tenant.
        """
        backend = self._tenants.get(api_key)
        if backend is not None:
            return backend
        api_key = self.shared.key_owners.get(api_key, api_key)
        backend = self._tenants.get(api_key)
        if backend is not None:
            return backend
        with self._lock:
            backend = self._tenants.get(api_key)
            if backend is None:
                limit = self.settings.max_tenants
                if len(self._tenants) >= limit:
                    raise LimitReached(
                        f"the mock serves at most {limit} tenants (--max-tenants); "
                        "this API key would be a new one, existing keys keep working",
                        code="mock.tenant_limit",
                        meta={"limit": limit},
                    )
                backend = self._new_tenant(api_key)
                self._tenants[api_key] = backend
            return backend

    def is_fixture_media(self, media_id: str) -> bool:
        return any(m.id == media_id for m in self.fixtures.baseline.media)

    def media_owner(self, media_id: str) -> PublishingBackend | None:
        """The tenant holding ``media_id``, by index: capability URLs carry no API key."""
        key = self.shared.media_owners.get(media_id)
        return None if key is None else self._tenants.get(key)

    def _media_held(self) -> int:
        return sum(backend.media.media_bytes_held() for backend in self.tenants())

    def _new_tenant(self, api_key: str) -> PublishingBackend:
        settings = self.settings
        return PublishingBackend(
            api_key,
            seed=settings.seed,
            clock=self._clock(),
            baseline=self.fixtures.baseline_for(api_key),
            scenarios=ScenarioEngine(seed=stable_seed(settings.seed, api_key)),
            initial_scenarios=self.scenarios,
            journal_size=settings.journal_size,
            events_size=settings.events_size,
            publish_mode=settings.effective_publish_mode,
            api_version=settings.api_version,
            shared=self.shared,
            request_limit=settings.effective_request_limit,
            velocity_caps=settings.effective_velocity_caps,
        )

    def _clock(self) -> Clock:
        if self.settings.clock == "realtime":
            return RealtimeClock(self.settings.start_time, speed=self.settings.speed)
        return FakeClock(self.settings.start_time)

    def reload(self) -> None:
        """Re-read the fixture directory and the ``--scenario`` files and move every tenant onto them.

        Posts, clocks and journals stay. A file that fails to load raises ``FixtureError`` or
        ``ScenarioInvalid`` naming the file and field, and nothing changes: the last good
        configuration stays in force.
        """
        fixtures = load_fixtures(self.settings.fixtures_dir)
        scenarios = tuple(read_startup_scenario_file(path) for path in self.settings.scenario_files)
        with self._lock:
            self.fixtures = fixtures
            self.scenarios = scenarios
            for api_key, backend in self._tenants.items():
                rebase_tenant(backend.tenant, fixtures.baseline_for(api_key), scenarios)

    def tenants(self) -> Iterable[PublishingBackend]:
        with self._lock:
            return list(self._tenants.values())

    def tenant_with_connection(self, state: str) -> PublishingBackend | None:
        """The tenant a pending connection (its consent page's state) belongs to, by index."""
        key = self.shared.connection_owners.get(state)
        backend = None if key is None else self._tenants.get(key)
        return backend if backend is not None and state in backend.state.accounts.pending_connections else None

    def tenant_with_sink(self, name: str) -> PublishingBackend | None:
        """The tenant whose webhook sink is called ``name``, by index."""
        key = self.shared.sink_owners.get(name)
        backend = None if key is None else self._tenants.get(key)
        return backend if backend is not None and backend.sinks.has_sink(name) else None

    def tenant_with_invite(self, token: str) -> PublishingBackend | None:
        """The tenant whose invite link has this token."""
        return next((b for b in self.tenants() if b.invites.holds_invite(token)), None)

    def claimed_by(self, kind: str, value: str) -> str | None:
        """The tenant that holds ``value``, a name or id no two tenants may share, or None.

        ``kind`` is ``sink`` (sink URLs carry no key), ``media`` (an uploaded item's id: upload and
        download URLs find their tenant by it) or ``upload_token``. The fixtures' media ids are every
        tenant's and claimed by none. A restore asks before it takes any of them.
        """
        if kind == "media" and self.is_fixture_media(value):
            return None
        tenants = (backend.tenant for backend in self.tenants())
        return claim_holder(tenants, kind, value, media_owners=self.shared.media_owners)

    def next_anonymous_request_id(self) -> str:
        return f"{self.anonymous_ids.getrandbits(32):08x}"

    @cached_property
    def app(self) -> Starlette:
        return create_app(self)

    @cached_property
    def webhook_sender(self) -> WebhookSender:
        """Sends the tenants' webhook deliveries; built on first use, like ``app``."""
        return WebhookSender(self)
