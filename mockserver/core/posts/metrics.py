"""``GET /v1/posts/{pid}/metrics``: ``PostMetrics``, a mixin of ``PublishingBackend``.

Only published targets carry metrics; their numbers come from the engagement model in
``core/metrics.py``, at the fake clock's time. ``GET /v1/posts``, ``GET /v1/posts/{pid}`` and the
webhook payloads carry the same numbers (``metrics_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from mockserver.core.backend_view import BackendView
from mockserver.core.ids import stable_seed
from mockserver.core.models import Target
from mockserver.core.rules.engagement import Engagement, MetricsAt


@dataclass(frozen=True, slots=True)
class TargetMetrics:
    target: Target
    engagement: Engagement | None


@dataclass(frozen=True, slots=True)
class MetricsReport:
    post_id: str
    synced_at: datetime
    targets: list[TargetMetrics]


class PostMetrics:
    """``post_metrics``: the engagement of each published target, at the fake clock's time."""

    def post_metrics(self: BackendView, post_id: str) -> MetricsReport:
        with self.lock:
            post = self._post(post_id)
            metrics = self.metrics_at(self.clock.now())
            rows = [TargetMetrics(target, metrics.of(target)) for target in post.targets]
            return MetricsReport(post.id, metrics.synced_at, rows)

    def metrics_at(self: BackendView, at: datetime) -> MetricsAt:
        """The engagement of this tenant's targets at ``at``: posts, lists and webhooks carry it too."""
        return MetricsAt(_metrics_seed(self.seed), at)


@cache
def _metrics_seed(seed: int) -> int:
    # Not the tenant's key: the platform post id already tells posts apart, and a state restored
    # under another key must show the same numbers. Computed once: every post response asks for it.
    return stable_seed(seed, "metrics")
