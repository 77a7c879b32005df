"""``GET /v1/posts/{pid}/metrics``: ``PostMetrics``, a mixin of ``PublishingBackend``.

Only published targets carry metrics; their numbers come from the engagement model in
``core/metrics.py``, at the fake clock's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.core.backend_view import BackendView
from mockserver.core.ids import stable_seed
from mockserver.core.metrics import Engagement, engagement
from mockserver.core.models import Target, TargetStatus


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
            now = self.clock.now()
            seed = stable_seed(self.seed, self.tenant)
            rows: list[TargetMetrics] = []
            for target in post.targets:
                counts = None
                if target.status is TargetStatus.PUBLISHED and target.platform_post_id and target.published_at:
                    counts = engagement(seed, target.platform, target.platform_post_id, now - target.published_at)
                rows.append(TargetMetrics(target, counts))
            return MetricsReport(post.id, now, rows)
