"""The developer event log (``GET /v1/events`` and ``/v1/events/summary``), read from the records the
tenant already keeps: the event outbox (post transitions, account changes), the delivery log (each
attempt to a platform) and the webhook outbox (each attempt to an endpoint). Nothing is stored twice;
an entry's id is derived from its source, so reading the log never shifts the tenant's id sequence.

Newest first. ``status`` is ``ok`` or ``failed``. Entries older than the plan's retention are gone, as
upstream; the fake clock decides what is old.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from mockserver.core.baseline import Plan
from mockserver.core.errors import ValidationFailed
from mockserver.core.ids import derived_id
from mockserver.core.records.attempts import AttemptRecord
from mockserver.core.records.events import (
    AccountConnected,
    AccountDisconnected,
    EventData,
    EventRecord,
    PageRemoved,
    PostDelivered,
    PostRetried,
    PostScheduled,
    TargetRef,
    TargetResult,
    event_json,
)
from mockserver.core.records.webhooks import Delivery, Endpoint
from mockserver.core.rules.platforms import display_name
from mockserver.core.tenancy import Area
from mockserver.core.timefmt import epoch_micros, parse_instant
from mockserver.core.webhooks.outbox import EVENT_CATALOGUE

OK = "ok"
FAILED = "failed"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
# Days of history per plan (docs: guides/rate-limits); the mock's "paid" plan is read as Pro.
RETENTION_DAYS = {"free": 1, "starter": 7, "pro": 30, "paid": 30, "business": 90, "enterprise": 90}
DEFAULT_RETENTION_DAYS = 30
_GROUP_CATEGORY = {"posts": "post", "accounts": "account", "inbox": "inbox"}
_CATEGORY = {name: _GROUP_CATEGORY[group] for name, _, group in EVENT_CATALOGUE}
_DESCRIPTION = {name: description for name, description, _ in EVENT_CATALOGUE}
_FAILED_ACTIONS = frozenset({"post.failed", "post.partial"})


@dataclass(frozen=True, slots=True)
class LogEvent:
    id: str
    at: datetime
    category: str
    action: str
    status: str
    summary: str
    platform: str | None = None
    account_id: str | None = None
    resource_id: str | None = None
    error_message: str | None = None
    error_category: str | None = None
    status_code: int | None = None
    duration_ms: int | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    # Orders entries of one instant by cause: deliveries (0), then the post's outcome (1), then webhooks (2),
    # and within one source by when each was recorded.
    rank: int = 1
    order: int = 0

    @property
    def key(self) -> tuple[int, int, int]:
        return epoch_micros(self.at), self.rank, self.order


@dataclass(frozen=True, slots=True)
class LogQuery:
    category: str | None = None
    status: str | None = None
    platform: str | None = None
    account_id: str | None = None
    resource_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None

    def admits(self, event: LogEvent) -> bool:
        return (
            (self.category is None or event.category == self.category)
            and (self.status is None or event.status == self.status)
            and (self.platform is None or event.platform == self.platform)
            and (self.account_id is None or event.account_id == self.account_id)
            and (self.resource_id is None or event.resource_id == self.resource_id)
            and (self.action is None or event.action == self.action)
            and (self.since is None or event.at >= self.since)
            and (self.until is None or event.at <= self.until)
        )


@dataclass(frozen=True, slots=True)
class LogPage:
    events: list[LogEvent]
    has_more: bool
    next_cursor: str | None
    limit: int
    retention_days: int


@dataclass(frozen=True, slots=True)
class LogSummary:
    total: int
    total_previous: int
    failed: int
    by_category: dict[str, int]
    by_error_category: dict[str, int]
    retention_days: int


def retention_days(plan: Plan) -> int:
    return RETENTION_DAYS.get(plan.name, DEFAULT_RETENTION_DAYS)


class EventLog(Area):
    """``GET /v1/events`` and its summary."""

    def list_log_events(self, query: LogQuery) -> LogPage:
        if not 1 <= query.limit <= MAX_LIMIT:
            raise ValidationFailed.invalid("limit", f"limit must be an integer between 1 and {MAX_LIMIT}")
        after = _decode_cursor(query.cursor) if query.cursor else None
        with self.lock:
            days = retention_days(self.state.plan)
            kept = self._log_events(self.clock.now() - timedelta(days=days))
        found = sorted((e for e in kept if query.admits(e)), key=lambda e: e.key, reverse=True)
        if after is not None:
            found = _after(found, *after)
        has_more = len(found) > query.limit
        page = found[: query.limit]
        cursor = _encode_cursor(page[-1]) if has_more else None
        return LogPage(page, has_more, cursor, query.limit, days)

    def summarize_log_events(self, since: datetime | None, until: datetime | None) -> LogSummary:
        with self.lock:
            now = self.clock.now()
            days = retention_days(self.state.plan)
            oldest = now - timedelta(days=days)
            kept = self._log_events(oldest)
        end = until or now
        start = since or oldest
        if end < start:
            raise ValidationFailed.invalid("to", "to must not be earlier than from")
        previous_start = _earlier(start, end - start)
        window = [e for e in kept if start <= e.at <= end]
        by_category: dict[str, int] = {}
        by_error: dict[str, int] = {}
        for event in window:
            by_category[event.category] = by_category.get(event.category, 0) + 1
            if event.status == FAILED and event.error_category:
                by_error[event.error_category] = by_error.get(event.error_category, 0) + 1
        return LogSummary(
            total=len(window),
            total_previous=sum(previous_start <= e.at < start for e in kept),
            failed=sum(e.status == FAILED for e in window),
            by_category=by_category,
            by_error_category=by_error,
            retention_days=days,
        )

    def _log_events(self, oldest: datetime) -> list[LogEvent]:
        found = [e for e in _from_outbox(self.state.events) if e.at >= oldest]
        found += [e for e in _from_deliveries(self.state.attempts) if e.at >= oldest]
        found += [
            e
            for e in _from_webhooks(self.state.webhooks.deliveries.values(), self.state.webhooks.endpoints)
            if e.at >= oldest
        ]
        return found


def _earlier(instant: datetime, span: timedelta) -> datetime:
    """``instant - span``, held at the first representable instant (a window reaching year 9999 is that long)."""
    try:
        return instant - span
    except OverflowError:
        return datetime.min.replace(tzinfo=instant.tzinfo)


def _from_outbox(records: Iterable[EventRecord]) -> Iterator[LogEvent]:
    for order, record in enumerate(records):
        action = record.event
        data = record.data
        targets = _targets(data)
        platforms = {t.platform for t in targets}
        accounts = {t.account_id for t in targets}
        failed = [t.error for t in targets if isinstance(t, TargetResult) and t.error is not None]
        error = failed[0] if failed and action in _FAILED_ACTIONS else None
        yield LogEvent(
            id=record.id,
            at=parse_instant(record.created_at),
            category=_CATEGORY.get(action, action.split(".", 1)[0]),
            action=action,
            status=FAILED if action in _FAILED_ACTIONS else OK,
            summary=_outbox_summary(data, record.platform, targets),
            platform=record.platform or (platforms.pop() if len(platforms) == 1 else None),
            account_id=record.account_id or (accounts.pop() if len(accounts) == 1 else None),
            resource_id=record.post_id or record.account_id,
            error_message=error.message if error else None,
            error_category=error.category if error else None,
            metadata=event_json(data),
            order=order,
        )


def _targets(data: EventData) -> tuple[TargetRef | TargetResult, ...]:
    if isinstance(data, PostDelivered):
        return data.results
    if isinstance(data, PostScheduled):
        return data.targets
    return ()


def _outbox_summary(data: EventData, platform_slug: str | None, targets: tuple[TargetRef | TargetResult, ...]) -> str:
    published = sum(isinstance(t, TargetResult) and t.status == "published" for t in targets)
    platform = display_name(platform_slug) if platform_slug else "the"
    match data:
        case PostScheduled():
            return f"Post scheduled for {data.scheduled_at} on {len(targets)} account(s)"
        case PostDelivered(status="published"):
            return f"Post published to {published} account(s)"
        case PostDelivered(status="partial"):
            return f"Post published to {published} of {len(targets)} accounts"
        case PostDelivered(status="failed"):
            return f"Post failed on all {len(targets)} account(s)"
        case PostRetried():
            return f"Retrying {data.retried_count} failed deliveries"
        case AccountConnected():
            return f"{platform} account {data.username or data.account_id} connected"
        case AccountDisconnected():
            reason = f" ({data.reason})" if data.reason else ""
            return f"{platform} account {data.account_id} disconnected{reason}"
        case PageRemoved():
            return f"Page {data.name or data.platform_page_id} removed from a {platform} account"
    action = data.event_name
    return _DESCRIPTION.get(action, action)


def _from_deliveries(records: Iterable[AttemptRecord]) -> Iterator[LogEvent]:
    for order, r in enumerate(records):
        name = display_name(r.platform)
        error = r.error
        yield LogEvent(
            id=derived_id("evt_", r.at, "delivery", r.post_id, r.account_id, r.attempt),
            at=r.at,
            category="post",
            action="publish",
            status=OK if error is None else FAILED,
            summary=f"Published to {name}" if error is None else f"Failed to publish to {name}: {error.message}",
            platform=r.platform,
            account_id=r.account_id,
            resource_id=r.post_id,
            error_message=None if error is None else error.message,
            error_category=None if error is None else error.category,
            duration_ms=r.latency_ms,
            rank=0,
            order=order,
            metadata={
                "attempt": r.attempt,
                "page_id": r.page_id,
                "error_code": None if error is None else error.code,
                "scenario_rule": r.scenario_rule,
            },
        )


def _from_webhooks(deliveries: Iterable[Delivery], endpoints: Mapping[str, Endpoint]) -> Iterator[LogEvent]:
    order = 0
    for delivery in deliveries:
        endpoint = endpoints.get(delivery.endpoint_id)
        url = endpoint.url if endpoint is not None else ""
        for attempt in delivery.attempts:
            what = f"{delivery.event_type} to {url}"
            yield LogEvent(
                id=derived_id("evt_", attempt.created_at, "webhook", delivery.id, attempt.number),
                at=attempt.created_at,
                category="webhook",
                action="webhook.delivery",
                status=OK if attempt.ok else FAILED,
                summary=f"Delivered {what}" if attempt.ok else f"Could not deliver {what}: {attempt.error_message}",
                resource_id=delivery.id,
                error_message=None if attempt.ok else attempt.error_message,
                error_category=None if attempt.ok else ("http" if attempt.status_code else "network"),
                status_code=attempt.status_code,
                duration_ms=attempt.duration_ms,
                rank=2,
                order=order,
                metadata={
                    "webhook_id": delivery.endpoint_id,
                    "event_type": delivery.event_type,
                    "attempt": attempt.number,
                    "url": url,
                },
            )
            order += 1


def _after(found: list[LogEvent], micros: int, rank: int, ident: str) -> list[LogEvent]:
    """The entries after the cursor's: found by id, or by instant when that entry has aged out since."""
    for index, event in enumerate(found):
        if event.id == ident:
            return found[index + 1 :]
    return [e for e in found if e.key[:2] < (micros, rank)]


def _encode_cursor(event: LogEvent) -> str:
    micros, rank, _ = event.key
    return base64.urlsafe_b64encode(f"{micros}:{rank}:{event.id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[int, int, str]:
    try:
        micros, rank, ident = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")
        return int(micros), int(rank), ident
    except ValueError:
        raise ValidationFailed.invalid("cursor", "cursor is not valid for this query") from None
