"""``PublishingBackend``: one tenant's whole state and its use cases.

HTTP handlers call exactly one method here per request. Every method runs under ``self.lock`` so a
test thread and the server's event loop can share a tenant safely. Time comes only from ``clock``;
randomness only from the tenant's seeded generators; so the same calls give the same results.
"""

from __future__ import annotations

import base64
import random
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from mockserver.core import lifecycle, messages
from mockserver.core.brands import Brands
from mockserver.core.clock import Clock
from mockserver.core.commands import SORTS, NewPost, PostQuery
from mockserver.core.connections import Connections
from mockserver.core.deliveries import DeliveryLog, DeliveryRecord
from mockserver.core.errors import (
    DuplicateContent,
    NoRetryableDeliveries,
    NotFound,
    NotSupported,
    PostLimitReached,
    StateInvalid,
    ValidationFailed,
)
from mockserver.core.event_log import EventLog
from mockserver.core.ids import IdFactory, stable_seed
from mockserver.core.journal import JournalEntry
from mockserver.core.lifecycle import Event
from mockserver.core.limits import PublishLimits
from mockserver.core.media_library import MediaLibrary
from mockserver.core.metrics import MetricsAt, metrics_payload
from mockserver.core.models import (
    PLATFORMS,
    Account,
    MediaItem,
    Post,
    PostStatus,
    Target,
    TargetError,
    TargetStatus,
)
from mockserver.core.pages import PAGE_PLATFORMS, AccountPages
from mockserver.core.platforms import display_name, native_post_id, permalink, rules_of
from mockserver.core.post_editing import PostEditing
from mockserver.core.post_import import PostImport
from mockserver.core.post_metrics import PostMetrics
from mockserver.core.post_removal import PostRemoval
from mockserver.core.post_validation import PostValidation
from mockserver.core.preview import Author, TargetPreview, preview_post
from mockserver.core.scenarios import DeliveryContext, DeliveryDecision, ScenarioDocument, ScenarioEngine
from mockserver.core.sinks import Sinks
from mockserver.core.slices import Pacer, Slices, run_to_end
from mockserver.core.store import Key, PostStore
from mockserver.core.targets import TargetContext, resolve_targets
from mockserver.core.tenant import Baseline, Plan, Shared
from mockserver.core.timefmt import MAX_INSTANT, epoch_micros, format_instant, from_epoch_micros, shifted
from mockserver.core.validation import check_post, raise_first
from mockserver.core.versions import DEFAULT_API_VERSION, generation
from mockserver.core.webhooks import Webhooks

# The month whose period has no next month to end at.
LAST_MONTH = datetime(9999, 12, 1, tzinfo=UTC)


@dataclass(slots=True)
class PostOutcome:
    post: Post
    latency_ms: int = 0


@dataclass(slots=True)
class PostPage:
    posts: list[Post]
    has_more: bool
    next_cursor: str | None


@dataclass(slots=True)
class Fired:
    post_id: str
    status: str


@dataclass(slots=True)
class AdvanceResult:
    now: datetime
    fired: list[Fired] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Usage:
    plan: Plan
    period_start: datetime
    period_end: datetime
    brands_used: int = 1


class BackendExtension:
    """Base of the use-case mixins (editing, media, webhooks, ...) that share one tenant's state.

    A mixin that keeps state of its own creates it in ``_reset_extension`` and calls ``super()``.

    State snapshots (``core/snapshot.py``: ``GET``/``PUT /_mock/state``, ``--state-file``) reach that
    state through three cooperative hooks; a mixin with state implements all three:

    - ``_state_attributes``: the instance attributes the mixin's hooks export and restore (a test
      fails for any attribute of a tenant that no snapshot covers);
    - ``_export_extension(out)``: ``super()._export_extension(out)``, then put JSON data under a key of
      the mixin's own in ``out``;
    - ``_restore_extension(data)``: ``super()._restore_extension(data)``, then rebuild the state from
      ``data.get(key)`` (a missing key means empty: a document older than the mixin). Raise
      ``ValueError`` on bad data; the snapshot rolls every part back when any part fails.
    """

    _state_attributes: tuple[str, ...] = ()

    def _reset_extension(self) -> None:
        return None

    def _export_extension(self, out: dict[str, Any]) -> None:
        return None

    def _restore_extension(self, data: Mapping[str, Any]) -> None:
        return None


class PublishingBackend(
    PostEditing,
    PostRemoval,
    PostValidation,
    PostMetrics,
    PostImport,
    MediaLibrary,
    Webhooks,
    Brands,
    AccountPages,
    PublishLimits,
    Connections,
    DeliveryLog,
    EventLog,
    Sinks,
    BackendExtension,
):
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
    ) -> None:
        self.tenant = tenant
        self.shared = shared or Shared()
        self.seed = seed
        self.clock = clock
        self.baseline = baseline
        self.scenarios = scenarios or ScenarioEngine(seed=stable_seed(seed, tenant))
        self.initial_scenarios = initial_scenarios
        self.publish_mode = publish_mode
        self.generation = generation(api_version)
        self.lock = threading.RLock()
        self.journal: deque[JournalEntry] = deque(maxlen=max(journal_size, 0))
        self.events: deque[dict[str, Any]] = deque(maxlen=events_size)
        self.event_listeners: list[Callable[[dict[str, Any]], None]] = []
        self.ids = IdFactory(seed, tenant)
        self._request_rng = random.Random()
        self._start = clock.now()
        self.reset()

    def reset(self) -> None:
        """Back to the fixtures: accounts, media, plan, an empty store and the clock at its start."""
        with self.lock:
            self.clock.restart(self._start)
            self.ids.reset()
            self._request_rng.seed(stable_seed(self.seed, self.tenant, "requests"))
            self.accounts: dict[str, Account] = {a.id: a for a in self.baseline.accounts}
            self.media: dict[str, MediaItem] = self.baseline.media_items(self._start)
            self.plan = self.baseline.plan
            self.duplicate_check = self.baseline.duplicate_check
            self.store = PostStore()
            self.journal.clear()
            self.events.clear()
            self._reset_extension()
            self.scenarios.reset()
            for document in self.initial_scenarios:
                self.scenarios.activate(document)

    # -- small helpers -----------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now()

    def next_request_id(self) -> str:
        return f"{self._request_rng.getrandbits(32):08x}"

    def _account(self, account_id: str, field_name: str) -> Account:
        account = self.accounts.get(account_id)
        # A disconnected account is kept for the posts that name it, but is gone for every call.
        if account is None or account.status == "disconnected":
            raise NotFound(f"account {account_id} not found", code="account.not_found", meta={"field": field_name})
        return account

    def _post(self, post_id: str) -> Post:
        post = self.store.get(post_id)
        if post is None:
            raise NotFound.of("post", post_id)
        return post

    @property
    def checks_duplicates(self) -> bool:
        """Whether creates are checked for duplicate content: a tenant setting or the scenario."""
        return self.duplicate_check or self.scenarios.checks_duplicates

    def _charge(self) -> None:
        plan = self.plan
        if plan.is_free and plan.posts_used >= plan.posts_limit:
            remaining = max(plan.posts_limit - plan.posts_used, 0)
            raise PostLimitReached(
                limit=plan.posts_limit,
                remaining=remaining,
                code=self.generation.post_limit_code,
                message=self.generation.post_limit_text(remaining),
            )

    def _consume_credit(self) -> None:
        self.plan = Plan(self.plan.name, self.plan.posts_limit, self.plan.posts_used + 1)

    def record_event(self, event: str, data: dict[str, Any], at: datetime) -> None:
        record = {
            "id": self.ids.next("evt_", at),
            "event": event,
            "created_at": format_instant(at),
            "data": data,
        }
        self.events.append(record)
        for listener in self.event_listeners:
            listener(record)

    # -- posts -------------------------------------------------------------------------------------

    def create_post(self, cmd: NewPost) -> PostOutcome:
        with self.lock:
            now = self.clock.now()
            post = self._checked_post(cmd, now)
            post.id = self.ids.next("p_", now)
            post.seq = self.store.next_seq
            self.store.next_seq += 1
            if cmd.publish_now:
                self._consume_credit()
                # Filed once, with its outcome, rather than filed as publishing and then re-filed.
                return self._publish(post, now)
            if post.scheduled_at is not None:
                self._consume_credit()
                post.status = lifecycle.apply(post.status, Event.SCHEDULE)
                post.fire_at = self._next_fire(post)
                self.store.add(post)
                self.record_event("post.scheduled", self._scheduled_payload(post), now)
                return PostOutcome(post)
            self.store.add(post)
            return PostOutcome(post)

    def _checked_post(self, cmd: NewPost, now: datetime) -> Post:
        """The post ``cmd`` describes after every check of a create; nothing is stored or charged yet."""
        post = self._build_post(cmd, now)
        publishing = cmd.publish_now or post.scheduled_at is not None
        if publishing and not post.targets:
            raise ValidationFailed.required("targets", "at least one target is required to publish or schedule")
        if not cmd.skip_validation:
            raise_first(check_post(post, self.media, publishing=publishing).errors)
        if not cmd.skip_duplicate_check and self.checks_duplicates:
            other = self.store.recent_duplicate(post.text, (t.account_id for t in post.targets), now)
            if other is not None:
                raise DuplicateContent(
                    "a post with the same text and accounts was created in the last 24 hours",
                    meta={"duplicate_of": other.id},
                )
        if publishing:
            self._charge()
        return post

    def _build_post(self, cmd: NewPost, now: datetime) -> Post:
        resolved = resolve_targets(cmd, self.target_context(now))
        raise_first(resolved.issues)
        return cmd.draft(resolved.targets, now, self.media)

    def target_context(self, now: datetime) -> TargetContext:
        """What the target rules of ``core/targets.py`` read of this tenant, at ``now``."""
        return TargetContext(self.accounts, self.media, now, self)

    def publish_post(self, post_id: str) -> PostOutcome:
        """``POST /v1/posts/{pid}/publish``: a draft or scheduled post, delivered now."""
        with self.lock:
            post = self._post(post_id)
            if not lifecycle.allows(post.status, Event.PUBLISH):
                raise StateInvalid(f"post {post_id} is not in a publishable state ({post.status.value})")
            if not post.targets:
                raise ValidationFailed.required("targets", "at least one target is required to publish")
            if not post.skip_validation:
                raise_first(check_post(post, self.media, publishing=True).errors)
            now = self.clock.now()
            # A scheduled post paid its credit when it was scheduled.
            if post.status is PostStatus.DRAFT:
                self._charge()
                self._consume_credit()
            return self._publish(post, now)

    def retry_post(self, post_id: str) -> Post:
        """Re-deliver the failed targets of a failed or partial post, now (the answer comes first)."""
        with self.lock:
            post = self._post(post_id)
            if not lifecycle.allows(post.status, Event.RETRY):
                raise StateInvalid(f"post {post_id} is not in a retryable state ({post.status.value})")
            failed = [t for t in post.targets if t.status is TargetStatus.FAILED]
            if not failed:
                raise NoRetryableDeliveries(f"post {post_id} has no failed deliveries to retry")
            refused = sorted({display_name(t.platform) for t in failed if not rules_of(t.platform).supports_retry})
            if refused:
                raise NotSupported(f"retry is not supported for {' and '.join(refused)} posts")
            self._charge()
            self._consume_credit()
            now = self.clock.now()
            post.status = lifecycle.apply(post.status, Event.RETRY)
            post.retry_count += 1
            for target in failed:
                target.status = TargetStatus.PUBLISHING
                target.error = None
            # "Re-enqueued": the deliveries run at the next clock advance (even a zero-second one).
            post.fire_at = now
            post.updated_at = now
            self.store.changed(post)
            self.record_event("post.retried", {"post_id": post.id, "retried_count": len(failed)}, now)
            return post

    def _publish(self, post: Post, now: datetime) -> PostOutcome:
        post.status = lifecycle.apply(post.status, Event.PUBLISH)
        post.fire_at = None
        # Publishing now supersedes any schedule, as publish_now ignores scheduled_at.
        post.scheduled_at = None
        pending = [t for t in post.targets if t.status in (TargetStatus.PENDING, TargetStatus.PUBLISHING)]
        for target in pending:
            target.scheduled_at = None
        if self.publish_mode == "async":
            for target in pending:
                target.status = TargetStatus.PUBLISHING
            post.updated_at = now
            post.fire_at = now
            self._file(post)
            return PostOutcome(post)
        latency = self._deliver(post, pending, now)
        self._settle(post, now)
        return PostOutcome(post, latency)

    def _deliver(self, post: Post, targets: list[Target], at: datetime) -> int:
        """Deliver ``targets`` at ``at``; returns the latency the caller should wait (they run in parallel)."""
        latency = 0
        for target in targets:
            target.attempts += 1
            decision = self._delivery_outcome(post, target, at)
            latency = max(latency, decision.latency_ms)
            if decision.error is None:
                self._mark_published(post, target, at)
            else:
                target.status = TargetStatus.FAILED
                target.error = decision.error
            self._record_delivery(post, target, at, decision)
        return latency

    def _delivery_outcome(self, post: Post, target: Target, at: datetime) -> DeliveryDecision:
        account = self.accounts.get(target.account_id)
        platform = target.platform
        if account is None or account.status == "disconnected":
            return DeliveryDecision(
                0,
                TargetError(
                    "The account was disconnected; connect it again to post",
                    "auth",
                    "user",
                    f"platform.{platform}.auth",
                ),
            )
        if account.status != "active":
            return DeliveryDecision(
                0,
                TargetError(
                    "The account must be reconnected before posting", "auth", "user", f"platform.{platform}.auth"
                ),
            )
        if platform in PAGE_PLATFORMS and not self._page_usable(target):
            return DeliveryDecision(
                0,
                TargetError(
                    "The page this target publishes to is no longer active",
                    "validation",
                    "user",
                    "publishing.delivery.page_resolve_failed",
                ),
            )
        ceiling = self.ceiling_error(account, at)
        if ceiling is not None:
            return DeliveryDecision(0, ceiling)
        eff = post.effective(target)
        for media_id in eff.media_ids:
            item = self.media.get(media_id)
            if item is None or item.status != "ready":
                return DeliveryDecision(0, TargetError("Media not found", "validation", "user", "media.not_found"))
        if post.skip_validation:
            errors = check_post(post, self.media, publishing=True, only=target).errors
            if errors:
                code = errors[0].code
                return DeliveryDecision(0, TargetError(errors[0].message, "validation", "user", code))
        if not self.scenarios.has_delivery_rules:
            return _DELIVERED
        decision = self.scenarios.decide_delivery(
            DeliveryContext(platform, target.account_id, eff.text, target.attempts, at)
        )
        return _DELIVERED if decision is None else decision

    def _record_delivery(self, post: Post, target: Target, at: datetime, decision: DeliveryDecision) -> None:
        if self.deliveries.maxlen == 0:
            return
        eff = post.effective(target)
        self.record_delivery(
            DeliveryRecord(
                post_id=post.id,
                account_id=target.account_id,
                platform=target.platform,
                page_id=target.page_id,
                attempt=target.attempts,
                at=at,
                text=eff.text,
                title=eff.title,
                media_ids=tuple(eff.media_ids),
                platform_data=target.platform_data,
                outcome="published" if decision.error is None else "failed",
                error=decision.error,
                scenario_rule=decision.rule or None,
                latency_ms=decision.latency_ms,
            )
        )

    def _mark_published(self, post: Post, target: Target, at: datetime) -> None:
        account = self.accounts[target.account_id]
        native = native_post_id(target.platform, account.platform_user_id, self.ids)
        target.status = TargetStatus.PUBLISHED
        target.error = None
        target.platform_post_id = native
        target.permalink = permalink(target.platform, account.username, native, self.ids)
        target.published_at = at
        self.note_published(account, at)
        if post.segments and rules_of(target.platform).supports_segments:
            thread = [native_post_id(target.platform, account.platform_user_id, self.ids) for _ in post.segments]
            target.metadata = {**(target.metadata or {}), "thread_post_ids": thread}

    def _settle(self, post: Post, at: datetime) -> None:
        """Give the post its outcome once no target is still waiting."""
        post.updated_at = at
        if any(t.status in (TargetStatus.PENDING, TargetStatus.PUBLISHING) for t in post.targets):
            post.fire_at = self._next_fire(post)
            self._file(post)
            return
        published = sum(t.status is TargetStatus.PUBLISHED for t in post.targets)
        if published == len(post.targets):
            event = Event.DELIVERED_ALL
        elif published:
            event = Event.DELIVERED_SOME
        else:
            event = Event.DELIVERED_NONE
        post.status = lifecycle.apply(post.status, event)
        if published:
            post.published_at = at
        post.fire_at = None
        self._file(post)
        self.record_event(f"post.{post.status.value}", self.outcome_payload(post, at), at)

    def _file(self, post: Post) -> None:
        """Store a new post, or re-file a stored one after a change."""
        if post.id in self.store.by_id:
            self.store.changed(post)
        else:
            self.store.add(post)

    def _next_fire(self, post: Post) -> datetime | None:
        times = [post.effective(t).scheduled_at for t in post.targets if t.status is TargetStatus.PENDING]
        known = [t for t in times if t is not None]
        return min(known) if known else None

    def outcome_payload(self, post: Post, at: datetime) -> dict[str, Any]:
        metrics = self.metrics_at(at)
        return {
            "post_id": post.id,
            "status": post.status.value,
            "results": [_result_payload(t, metrics) for t in post.targets],
        }

    @staticmethod
    def _scheduled_payload(post: Post) -> dict[str, Any]:
        return {
            "post_id": post.id,
            "status": post.status.value,
            "scheduled_at": format_instant(post.scheduled_at) if post.scheduled_at else None,
            "targets": [{"account_id": t.account_id, "platform": t.platform} for t in post.targets],
        }

    def get_post(self, post_id: str) -> Post:
        with self.lock:
            return self._post(post_id)

    def preview_post(self, post_id: str) -> list[TargetPreview]:
        with self.lock:
            return preview_post(self._post(post_id), self.media, self._author_of)

    def _author_of(self, target: Target) -> Author:
        """Who a feed shows as the author: the page a target posts to, else its account."""
        account = self.accounts.get(target.account_id)
        if account is None:
            return Author(target.account_id, target.account_id)
        page = self.pages.get(target.page_id) if target.page_id else self.default_page(account.id)
        if page is None:
            return Author(account.name, account.username)
        return Author(page.name, page.username or account.username)

    def list_posts(self, query: PostQuery) -> PostPage:
        with self.lock:
            if query.sort not in SORTS:
                raise ValidationFailed.invalid("sort", f"sort must be one of {', '.join(SORTS)}")
            if query.status is not None and query.status not in PostStatus.__members__.values():
                raise ValidationFailed.invalid("status", f"unknown status {query.status}")
            if query.platform is not None and query.platform not in PLATFORMS:
                raise ValidationFailed.invalid("platform", messages.UNKNOWN_PLATFORM.format(platform=query.platform))
            by_created = query.sort.startswith("created")
            reverse = query.sort.endswith("desc")
            after = _decode_cursor(query.cursor, query.sort) if query.cursor else None
            account_ids: tuple[str, ...] | None = query.account_ids or None
            if query.platform is not None:
                on_platform = tuple(a.id for a in self.accounts.values() if a.platform == query.platform)
                account_ids = tuple(a for a in (account_ids or on_platform) if a in on_platform)
            if query.brand_id is not None:
                self._brand(query.brand_id)
                in_brand = tuple(a.id for a in self.accounts.values() if a.brand_id == query.brand_id)
                account_ids = tuple(a for a in (account_ids or in_brand) if a in in_brand)
            wanted = set(query.account_ids)
            posts: list[Post] = []
            walker = self.store.walk(
                status=query.status,
                account_ids=account_ids,
                by_created=by_created,
                reverse=reverse,
                after=after,
            )
            for post in _filtered(walker, query, wanted):
                posts.append(post)
                if len(posts) > query.limit:
                    break
            has_more = len(posts) > query.limit
            del posts[query.limit :]
            cursor = _encode_cursor(query.sort, posts[-1], by_created) if has_more else None
            return PostPage(posts, has_more, cursor)

    # -- accounts, usage, plan ---------------------------------------------------------------------

    def list_accounts(self, brand_id: str | None = None) -> list[Account]:
        with self.lock:
            if brand_id is not None:
                self._brand(brand_id)
            return [
                self.with_page_name(a)
                for a in self.accounts.values()
                if a.status != "disconnected" and (brand_id is None or a.brand_id == brand_id)
            ]

    def usage(self) -> Usage:
        with self.lock:
            now = self.clock.now()
            start = datetime(now.year, now.month, 1, tzinfo=UTC)
            # December 9999 has no next month to end at: its period ends at the last instant.
            end = shifted(start, timedelta(days=31)).replace(day=1) if now < LAST_MONTH else MAX_INSTANT
            return Usage(self.plan, start, end, len(self.brands))

    def configure_tenant(
        self,
        *,
        name: str | None = None,
        posts_limit: int | None = None,
        posts_used: int | None = None,
        duplicate_check: bool | None = None,
    ) -> Plan:
        """``PATCH /_mock/tenant``: the plan, and whether creates are checked for duplicate content."""
        with self.lock:
            if duplicate_check is not None:
                self.duplicate_check = duplicate_check
            return self.set_plan(name=name, posts_limit=posts_limit, posts_used=posts_used)

    def set_plan(self, *, name: str | None, posts_limit: int | None, posts_used: int | None) -> Plan:
        with self.lock:
            plan = self.plan
            if name is not None:
                default_limit = 10 if name == "free" else -1
                plan = Plan(name, default_limit if posts_limit is None else posts_limit, plan.posts_used)
            elif posts_limit is not None:
                plan = Plan(plan.name, posts_limit, plan.posts_used)
            if posts_used is not None:
                plan = Plan(plan.name, plan.posts_limit, posts_used)
            self.plan = plan
            return plan

    # -- the clock ---------------------------------------------------------------------------------

    def advance_clock(self, *, seconds: float | None = None, to: datetime | None = None) -> AdvanceResult:
        """Move the clock forward, firing every due post at its own scheduled instant."""
        return run_to_end(self.advance_clock_in_slices(seconds=seconds, to=to))

    def advance_clock_in_slices(
        self, *, seconds: float | None = None, to: datetime | None = None, pacer: Pacer | None = None
    ) -> Slices[AdvanceResult]:
        """``advance_clock`` that pauses whenever ``pacer`` says its slice is spent (see ``core/slices.py``)."""
        with self.lock:
            now = self.clock.now()
            if (seconds is None) == (to is None):
                raise ValidationFailed.required("seconds", "give exactly one of seconds or to")
            if seconds is not None:
                if seconds < 0:
                    raise ValidationFailed.invalid("seconds", messages.CLOCK_BACKWARDS.format(now=format_instant(now)))
                try:
                    target = now + timedelta(seconds=seconds)
                except (OverflowError, ValueError):
                    target = None
                if target is None or target > MAX_INSTANT:
                    raise ValidationFailed.invalid(
                        "seconds", f"the clock cannot move past {format_instant(MAX_INSTANT)}"
                    ) from None
            else:
                assert to is not None
                if to < now:
                    raise ValidationFailed.invalid("to", messages.CLOCK_BACKWARDS.format(now=format_instant(now)))
                target = to
        result = AdvanceResult(target)
        pacer = pacer or Pacer()
        while True:
            with self.lock:
                if not self._fire_until(target, result.fired, pacer):
                    self.clock.move_to(target)
                    return result
            yield
            pacer.restart()

    def next_due(self) -> datetime | None:
        """When the next scheduled delivery falls due: where "to the next due post" moves the clock."""
        with self.lock:
            micros = self.store.next_due()
            return None if micros is None else from_epoch_micros(micros)

    def fire_due(self) -> list[Fired]:
        """Fire what is due at the clock's current time (the realtime clock's ticker calls this)."""
        fired: list[Fired] = []
        with self.lock:
            self._fire_until(self.clock.now(), fired, None)
        return fired

    def _fire_until(self, until: datetime, fired: list[Fired], pacer: Pacer | None) -> bool:
        """Fire posts due by ``until`` until ``pacer``'s slice is spent; whether some may still be due."""
        while pacer is None or not pacer.spent():
            post = self.store.pop_due(until)
            if post is None:
                return False
            at = post.fire_at
            assert at is not None
            if at > self.clock.now():
                self.clock.move_to(at)
            if post.status is PostStatus.SCHEDULED:
                post.status = lifecycle.apply(post.status, Event.PUBLISH)
            due = [t for t in post.targets if _is_due(post, t, at)]
            self._deliver(post, due, at)
            self._settle(post, at)
            fired.append(Fired(post.id, post.status.value))
        return True

    def iter_posts(self) -> Iterator[Post]:
        return self.store.all_posts()


_DELIVERED = DeliveryDecision(0, None)


def _result_payload(target: Target, metrics: MetricsAt) -> dict[str, Any]:
    """One target's outcome in a ``post.published`` / ``.partial`` / ``.failed`` webhook payload."""
    error = target.error
    out: dict[str, Any] = {
        "account_id": target.account_id,
        "platform": target.platform,
        "status": target.status.value,
        "platform_post_id": target.platform_post_id,
        "permalink": target.permalink,
        "error": None
        if error is None
        else {"code": error.code, "message": error.message, "category": error.category, "caused_by": error.caused_by},
    }
    counts = metrics.of(target)
    if counts is not None:
        out["metrics"] = metrics_payload(counts)
        out["metrics_synced_at"] = format_instant(metrics.synced_at)
    return out


def _is_due(post: Post, target: Target, at: datetime) -> bool:
    if target.status is TargetStatus.PUBLISHING:
        return True
    return target.status is TargetStatus.PENDING and (post.effective(target).scheduled_at or at) <= at


def _filtered(posts: Iterator[Post], query: PostQuery, wanted: set[str]) -> Iterator[Post]:
    needle = query.search.lower() if query.search else None
    since = query.since
    until = query.until
    for post in posts:
        if post.hidden and not query.hidden:
            continue
        if query.status is not None and post.status.value != query.status:
            continue
        if wanted and not any(t.account_id in wanted for t in post.targets):
            continue
        if query.platform is not None and not any(t.platform == query.platform for t in post.targets):
            continue
        if query.page_id is not None and not any(t.page_id == query.page_id for t in post.targets):
            continue
        if since is not None or until is not None:
            moment = post.scheduled_at or post.created_at
            if (since is not None and moment < since) or (until is not None and moment > until):
                continue
        if needle is not None and needle not in post.text.lower():
            continue
        yield post


def _encode_cursor(sort: str, post: Post, by_created: bool) -> str:
    moment = post.created_at if by_created else (post.scheduled_at or post.created_at)
    raw = f"{sort}:{epoch_micros(moment)}:{post.seq}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> Key:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        cursor_sort, micros, seq = raw.split(":")
        if cursor_sort != sort:
            raise ValueError
        return (int(micros), int(seq))
    except ValueError:
        raise ValidationFailed.invalid("cursor", messages.CURSOR_INVALID) from None
