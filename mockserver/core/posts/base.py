"""``PostsBase``: what the parts of the posts area share: the areas they use and the post helpers.

The parts (publishing, scheduling, listing, editing, removal, validation, metrics, import) are
stateless mixins of one ``Posts`` class (``posts/area.py``) over the tenant's state.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.core.accounts.area import Accounts
from mockserver.core.baseline import Plan
from mockserver.core.errors import NotFound, PostLimitReached
from mockserver.core.limits.velocity import VelocityCaps
from mockserver.core.models import Post, Target, TargetStatus
from mockserver.core.posts.attempts import AttemptLog
from mockserver.core.records.events import ErrorInfo, PostDelivered, PostScheduled, TargetRef, TargetResult
from mockserver.core.rules.engagement import MetricsAt, metrics_payload, metrics_seed
from mockserver.core.rules.targets import TargetContext
from mockserver.core.tenancy import Area, Tenant
from mockserver.core.timefmt import format_instant


class PostsBase(Area):
    def __init__(self, tenant: Tenant, accounts: Accounts, attempts: AttemptLog, velocity: VelocityCaps) -> None:
        super().__init__(tenant)
        self.accounts = accounts
        self.attempts = attempts
        self.velocity = velocity

    def _post(self, post_id: str) -> Post:
        post = self.state.posts.get(post_id)
        if post is None:
            raise NotFound.of("post", post_id)
        return post

    @property
    def checks_duplicates(self) -> bool:
        """Whether creates are checked for duplicate content: a tenant setting or the scenario."""
        return self.state.duplicate_check or self.tenant.scenarios.checks_duplicates

    def _charge(self) -> None:
        plan = self.state.plan
        if plan.is_free and plan.posts_used >= plan.posts_limit:
            remaining = max(plan.posts_limit - plan.posts_used, 0)
            raise PostLimitReached(
                limit=plan.posts_limit,
                remaining=remaining,
                code=self.tenant.generation.post_limit_code,
                message=self.tenant.generation.post_limit_text(remaining),
            )

    def _consume_credit(self) -> None:
        self.state.plan = Plan(self.state.plan.name, self.state.plan.posts_limit, self.state.plan.posts_used + 1)

    def target_context(self, now: datetime) -> TargetContext:
        """What the target rules of ``core/rules/targets.py`` read of this tenant, at ``now``."""
        return TargetContext(self.state.accounts.items, self.state.media.items, now, self.accounts)

    def _file(self, post: Post) -> None:
        """Store a new post, or re-file a stored one after a change."""
        if post.id in self.state.posts.by_id:
            self.state.posts.changed(post)
        else:
            self.state.posts.add(post)

    def _next_fire(self, post: Post) -> datetime | None:
        times = [post.effective(t).scheduled_at for t in post.targets if t.status is TargetStatus.PENDING]
        known = [t for t in times if t is not None]
        return min(known) if known else None

    def outcome_payload(self, post: Post, at: datetime) -> PostDelivered:
        metrics = self.metrics_at(at)
        return PostDelivered(post.id, post.status.value, tuple(_result(t, metrics) for t in post.targets))

    @staticmethod
    def _scheduled_payload(post: Post) -> PostScheduled:
        scheduled_at = format_instant(post.scheduled_at) if post.scheduled_at else None
        return PostScheduled(
            post.id, post.status.value, scheduled_at, tuple(TargetRef(t.account_id, t.platform) for t in post.targets)
        )

    def metrics_at(self, at: datetime) -> MetricsAt:
        return MetricsAt(metrics_seed(self.tenant.seed), at)


def _result(target: Target, metrics: MetricsAt) -> TargetResult:
    """One target's outcome in a ``post.published`` / ``.partial`` / ``.failed`` payload."""
    error = target.error
    counts = metrics.of(target)
    return TargetResult(
        target.account_id,
        target.platform,
        target.status.value,
        target.platform_post_id,
        target.permalink,
        None if error is None else ErrorInfo(error.code, error.message, error.category, error.caused_by),
        None if counts is None else metrics_payload(counts),
        None if counts is None else format_instant(metrics.synced_at),
    )
