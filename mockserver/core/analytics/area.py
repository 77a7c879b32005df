"""``Analytics``: the history routes of the later generation, read from the state (nothing is stored).

- **Post** (``GET /v1/posts/{pid}/analytics``): each published target is a subject, tracked from its
  publication, whose gauges are the engagement model's counters (``core/rules/engagement.py``), the
  same numbers as ``/metrics``; the post's series sum its targets. A post never published has
  empty series.
- **Account** (``GET /v1/accounts/{id}/analytics``, optionally one page): one subject tracked from
  the tenant's start: ``followers`` (a gauge of the seeded follower model) and the daily growth of
  its published targets' engagement and their count (flows).
- **Brand** (``GET /v1/brands/{id}/analytics``): the rollup of the accounts the brand holds now.

Days are cut on each account's ``timezone`` (a fixture field, UTC by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from mockserver.core.analytics.days import resolve_range
from mockserver.core.analytics.series import FLOW, GAUGE, History, Metric, Subject, chosen, rollup
from mockserver.core.errors import NotFound, ValidationFailed
from mockserver.core.models import Account, Target, TargetStatus
from mockserver.core.rules.engagement import engagement, followers, metrics_seed
from mockserver.core.tenancy import Area

ENGAGEMENT = ("likes", "comments", "shares", "saves", "impressions")
POST_METRICS: tuple[Metric, ...] = tuple(Metric(name, GAUGE, "reported") for name in ENGAGEMENT)
ACCOUNT_METRICS: tuple[Metric, ...] = (
    Metric("followers", GAUGE, "reported"),
    *(Metric(name, FLOW, "reported") for name in ENGAGEMENT),
    Metric("posts_published", FLOW, "owned"),
)


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    first: date | None = None
    last: date | None = None
    # Metric names; empty means every metric of the subject.
    metrics: tuple[str, ...] = ()


class Analytics(Area):
    """``account_history``, ``brand_history``, ``post_history`` (see the module docstring)."""

    def post_history(self, post_id: str, query: HistoryQuery) -> History:
        with self.lock:
            post = self.state.posts.get(post_id)
            if post is None:
                raise NotFound.of("post", post_id)
            now = self.clock.now()
            days = resolve_range(query.first, query.last, now)
            metrics = chosen(POST_METRICS, query.metrics)
            subjects = [self._target_subject(t) for t in post.targets if _live(t)]
            return rollup(metrics, subjects, days, now)

    def account_history(self, account_id: str, query: HistoryQuery, page_id: str | None = None) -> History:
        with self.lock:
            account = self._account(account_id)
            if page_id is not None:
                page = self.state.accounts.pages.get(page_id)
                if page is None or page.account_id != account.id:
                    message = f"page {page_id[:80]} is not a page of account {account.id}"
                    raise ValidationFailed.invalid("page_id", message)
            now = self.clock.now()
            days = resolve_range(query.first, query.last, now)
            metrics = chosen(ACCOUNT_METRICS, query.metrics)
            return rollup(metrics, [self._account_subject(account, page_id)], days, now)

    def brand_history(self, brand_id: str, query: HistoryQuery) -> History:
        with self.lock:
            if brand_id not in self.state.accounts.brands:
                raise NotFound.of("brand", brand_id)
            now = self.clock.now()
            days = resolve_range(query.first, query.last, now)
            metrics = chosen(ACCOUNT_METRICS, query.metrics)
            held = [a for a in self.state.accounts.items.values() if a.brand_id == brand_id and _connected(a)]
            return rollup(metrics, [self._account_subject(a, None) for a in held], days, now)

    # -- subjects --------------------------------------------------------------------------------

    def _account(self, account_id: str) -> Account:
        account = self.state.accounts.items.get(account_id)
        if account is None or not _connected(account):
            raise NotFound.of("account", account_id)
        return account

    def _target_subject(self, target: Target) -> Subject:
        seed = metrics_seed(self.tenant.seed)
        platform, native = target.platform, target.platform_post_id or ""
        published = target.published_at or self.tenant.start

        def levels(at: datetime) -> Mapping[str, int]:
            counts = engagement(seed, platform, native, at - published)
            return {name: getattr(counts, name) for name in ENGAGEMENT} if at >= published else {}

        return Subject(self._zone_of(target.account_id), published, levels)

    def _account_subject(self, account: Account, page_id: str | None) -> Subject:
        seed = metrics_seed(self.tenant.seed)
        start = self.tenant.start
        subject = page_id or account.id
        live = [
            (t.platform, t.platform_post_id or "", t.published_at)
            for post in self.state.posts.all_posts()
            for t in post.targets
            if t.account_id == account.id and _live(t) and (page_id is None or t.page_id == page_id)
        ]

        def levels(at: datetime) -> Mapping[str, int]:
            out = dict.fromkeys(ENGAGEMENT, 0)
            out["followers"] = followers(seed, subject, at - start)
            out["posts_published"] = 0
            for platform, native, published in live:
                if published is None or published >= at:
                    continue
                counts = engagement(seed, platform, native, at - published)
                for name in ENGAGEMENT:
                    out[name] += getattr(counts, name)
                out["posts_published"] += 1
            return out

        return Subject(account.timezone, start, levels)

    def _zone_of(self, account_id: str) -> str:
        account = self.state.accounts.items.get(account_id)
        return account.timezone if account is not None else "UTC"


def _live(target: Target) -> bool:
    return target.status is TargetStatus.PUBLISHED and target.published_at is not None


def _connected(account: Account) -> bool:
    return account.status != "disconnected"
