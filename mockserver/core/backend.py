"""``PublishingBackend``: the facade over one tenant, and the only owner of its lock.

The tenant's whole state is one ``TenantState`` (``core/state.py``) held by a ``Tenant``
(``core/tenancy.py``); the use cases live in areas over it, one per folder: ``posts``, ``accounts``
and ``connections``, ``media``, ``webhooks`` and ``sinks``, ``events``, ``attempts``, and the team's
``keys``, ``invites``, ``exports``, ``users`` and ``youtube``. A handler makes
one call, either to an area (``backend.posts.create_post``) or to this facade for what belongs to
the tenant as a whole: reset, plan and usage, the request journal, the active scenarios, and the
state document. Every call runs under the tenant's re-entrant lock, so a test thread and the
server's event loop can share a tenant safely. Time comes only from the clock; randomness only
from the tenant's seeded generators; so the same calls give the same results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mockserver.core.accounts.area import Accounts
from mockserver.core.accounts.boards import BoardWrites
from mockserver.core.accounts.connections import Connections
from mockserver.core.accounts.linking import Linking
from mockserver.core.accounts.selection import PAGE_CAP, Selections
from mockserver.core.accounts.signup import EmbeddedSignup
from mockserver.core.accounts.sync import AccountSync
from mockserver.core.analytics.area import Analytics
from mockserver.core.baseline import Baseline, Plan, Shared
from mockserver.core.clock import Clock
from mockserver.core.events.log import EventLog
from mockserver.core.ids import stable_seed
from mockserver.core.inbox.area import Inbox
from mockserver.core.inbox.arrivals import Arrived
from mockserver.core.journal import JournalEntry
from mockserver.core.limits.requests import RequestBudget
from mockserver.core.limits.velocity import VelocityCaps
from mockserver.core.media.library import MediaLibrary
from mockserver.core.posts.area import Posts
from mockserver.core.posts.attempts import AttemptLog
from mockserver.core.records.events import EventRecord
from mockserver.core.scenarios import RequestContext, RequestFault, ScenarioDocument, ScenarioEngine
from mockserver.core.state import TenantState
from mockserver.core.team.exports import Exports
from mockserver.core.team.invites import Invites
from mockserver.core.team.keys import ApiKeys
from mockserver.core.team.users import Users
from mockserver.core.team.youtube import YouTube
from mockserver.core.tenancy import Tenant
from mockserver.core.timefmt import MAX_INSTANT, shifted
from mockserver.core.versions import DEFAULT_API_VERSION, generation
from mockserver.core.webhooks.outbox import Webhooks
from mockserver.core.webhooks.sinks import Sinks

# The month whose period has no next month to end at.
LAST_MONTH = datetime(9999, 12, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Usage:
    plan: Plan
    period_start: datetime
    period_end: datetime
    brands_used: int = 1
    # Facebook Pages per brand (2026-08-22 documents it in the usage; None: not reported).
    page_allowance: int | None = None


@dataclass(frozen=True, slots=True)
class LimitSwitches:
    request_limit: bool
    velocity_caps: bool


@dataclass(frozen=True, slots=True)
class TenantSummary:
    key: str
    posts: int
    now: datetime


class PublishingBackend:
    def __init__(
        self,
        tenant: str,
        *,
        seed: int,
        clock: Clock,
        baseline: Baseline,
        scenarios: ScenarioEngine | None = None,
        initial_scenarios: tuple[ScenarioDocument, ...] = (),
        journal_size: int = 1000,
        events_size: int = 10_000,
        publish_mode: str = "sync",
        api_version: str = DEFAULT_API_VERSION,
        shared: Shared | None = None,
        request_limit: bool | None = None,
        velocity_caps: bool | None = None,
    ) -> None:
        self.tenant = Tenant(
            tenant,
            seed=seed,
            clock=clock,
            baseline=baseline,
            scenarios=scenarios or ScenarioEngine(seed=stable_seed(seed, tenant)),
            initial_scenarios=initial_scenarios,
            journal_size=journal_size,
            events_size=events_size,
            publish_mode=publish_mode,
            generation=generation(api_version),
            shared=shared or Shared(),
            request_limit=request_limit,
            velocity_caps=velocity_caps,
        )
        self.accounts = Accounts(self.tenant)
        linking = Linking(self.tenant)
        self.selections = Selections(self.tenant, linking)
        self.signups = EmbeddedSignup(self.tenant, linking)
        self.boards = BoardWrites(self.tenant, self.accounts)
        self.connections = Connections(self.tenant, self.accounts, linking, self.selections)
        self.media = MediaLibrary(self.tenant)
        self.attempts = AttemptLog(self.tenant)
        self.requests = RequestBudget(self.tenant)
        self.velocity = VelocityCaps(self.tenant)
        self.posts = Posts(self.tenant, self.accounts, self.attempts, self.velocity)
        self.webhooks = Webhooks(self.tenant)
        self.sinks = Sinks(self.tenant)
        self.events = EventLog(self.tenant)
        self.analytics = Analytics(self.tenant)
        self.inbox = Inbox(self.tenant)
        self.account_sync = AccountSync(self.tenant)
        self.keys = ApiKeys(self.tenant)
        self.invites = Invites(self.tenant, self.connections)
        self.exports = Exports(self.tenant, self.accounts)
        self.users = Users(self.tenant)
        self.youtube = YouTube(self.tenant, self.accounts)
        self.reset()

    # -- the tenant as a whole ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        """The API key that opened this tenant."""
        return self.tenant.name

    @property
    def state(self) -> TenantState:
        return self.tenant.state

    @property
    def clock(self) -> Clock:
        return self.tenant.clock

    def reset(self) -> None:
        """Back to the fixtures: accounts, media, plan, no posts, and the clock at its start."""
        tenant = self.tenant
        with tenant.lock:
            tenant.clock.restart(tenant.start)
            tenant.state = tenant.fresh_state()
            tenant.epoch += 1
            tenant.scenarios.reset()
            for document in tenant.initial_scenarios:
                tenant.scenarios.activate(document)
            for rebuild in tenant.restored:
                rebuild()

    def now(self) -> datetime:
        return self.tenant.clock.now()

    def next_request_id(self) -> str:
        with self.tenant.lock:
            return f"{self.tenant.state.request_ids.getrandbits(32):08x}"

    def summary(self) -> TenantSummary:
        with self.tenant.lock:
            return TenantSummary(self.tenant.name, len(self.tenant.state.posts), self.now())

    def plan(self) -> Plan:
        """The tenant's plan and the credits it used, read on every answer of /v1/posts: an immutable
        value read whole, so no lock."""
        return self.tenant.state.plan

    def usage(self) -> Usage:
        with self.tenant.lock:
            now = self.now()
            start = datetime(now.year, now.month, 1, tzinfo=UTC)
            # December 9999 has no next month to end at: its period ends at the last instant.
            end = shifted(start, timedelta(days=31)).replace(day=1) if now < LAST_MONTH else MAX_INSTANT
            allowance = PAGE_CAP if self.tenant.generation.page_allowance else None
            return Usage(self.state.plan, start, end, len(self.state.accounts.brands), allowance)

    @property
    def api_version(self) -> str:
        return self.tenant.generation.version

    @property
    def journals_requests(self) -> bool:
        return self.tenant.journal_size > 0

    def duplicate_check(self) -> bool:
        with self.tenant.lock:
            return self.state.duplicate_check

    def limit_switches(self) -> LimitSwitches:
        with self.tenant.lock:
            limits = self.state.limits
            return LimitSwitches(limits.request_limit, limits.velocity_caps)

    def configure_tenant(
        self,
        *,
        name: str | None = None,
        posts_limit: int | None = None,
        posts_used: int | None = None,
        duplicate_check: bool | None = None,
        request_limit: bool | None = None,
        velocity_caps: bool | None = None,
    ) -> Plan:
        """``PATCH /_mock/tenant``: the plan, the duplicate-content check and the limit switches."""
        with self.tenant.lock:
            if duplicate_check is not None:
                self.state.duplicate_check = duplicate_check
            if request_limit is not None:
                self.state.limits.request_limit = request_limit
            if velocity_caps is not None:
                self.state.limits.velocity_caps = velocity_caps
            return self.set_plan(name=name, posts_limit=posts_limit, posts_used=posts_used)

    def set_plan(self, *, name: str | None, posts_limit: int | None, posts_used: int | None) -> Plan:
        with self.tenant.lock:
            plan = self.state.plan
            if name is not None:
                default_limit = 10 if name == "free" else -1
                plan = Plan(name, default_limit if posts_limit is None else posts_limit, plan.posts_used)
            elif posts_limit is not None:
                plan = Plan(plan.name, posts_limit, plan.posts_used)
            if posts_used is not None:
                plan = Plan(plan.name, plan.posts_limit, posts_used)
            self.state.plan = plan
            return plan

    # -- the request journal and the event records -------------------------------------------------

    def record_request(self, entry: JournalEntry) -> None:
        with self.tenant.lock:
            journal = self.state.journal
            if journal.maxlen != 0:
                journal.append(entry)

    def journal_entries(self) -> list[JournalEntry]:
        """A copy, oldest first: the caller may read it while requests go on."""
        with self.tenant.lock:
            return list(self.state.journal)

    def clear_journal(self) -> None:
        with self.tenant.lock:
            self.state.journal.clear()

    def event_records(self) -> list[EventRecord]:
        """The event records, oldest first (a copy)."""
        with self.tenant.lock:
            return list(self.state.events)

    # -- scenarios -----------------------------------------------------------------------------------

    @property
    def scenarios(self) -> ScenarioEngine:
        return self.tenant.scenarios

    def activate_scenario(self, document: ScenarioDocument) -> tuple[list[dict[str, Any]], list[Arrived]]:
        """The active scenarios, and the document's arrivals as scheduled; a refusal changes nothing."""
        with self.tenant.lock:
            checked = self.inbox.scripted.check(document.arrivals, source=document.name)
            self.scenarios.activate(document)
            return self.scenarios.describe(), self.inbox.scripted.schedule(checked)

    def describe_scenarios(self) -> list[dict[str, Any]]:
        with self.tenant.lock:
            return self.scenarios.describe()

    def active_scenario_names(self) -> set[str]:
        with self.tenant.lock:
            return {document.name for document in self.scenarios.documents()}

    def deactivate_scenario(self, name: str) -> list[dict[str, Any]] | None:
        """The scenarios left active, or ``None`` when none was named ``name``."""
        with self.tenant.lock:
            return self.scenarios.describe() if self.scenarios.deactivate(name) else None

    def clear_scenarios(self) -> None:
        with self.tenant.lock:
            self.scenarios.clear()

    def request_fault(self, method: str, path: str) -> RequestFault | None:
        """What the active request rules do to this request, if anything."""
        if not self.scenarios.has_request_rules:
            return None
        with self.tenant.lock:
            return self.scenarios.decide_request(RequestContext(method, path, self.now()))
