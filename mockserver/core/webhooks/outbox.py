"""Webhook endpoints and their delivery outbox: registry, signing, attempt schedule in fake time.

Every recorded event (``record_event``) becomes one delivery per active endpoint subscribed to it. A
delivery is attempted when the clock reaches its due time: first at the event's instant, then, after
each failure, 30 s, 5 min, 30 min and 3 h later (5 attempts in all), each due time counted from the
previous one so the schedule does not depend on when the sender got round to it. The HTTP sending
itself lives outside the core (``mockserver.webhook_sender``): it claims due deliveries here and
reports each attempt's result back.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from mockserver.core import messages
from mockserver.core.errors import Conflict, NotFound, ValidationFailed
from mockserver.core.records.events import EventRecord, webhook_body
from mockserver.core.records.webhooks import PENDING, Attempt, Delivery, Endpoint
from mockserver.core.tenancy import Area, Tenant
from mockserver.core.timefmt import parse_instant, shifted

EVENT_CATALOGUE: tuple[tuple[str, str, str], ...] = (
    ("post.scheduled", "A post was scheduled for later publishing", "posts"),
    ("post.published", "Every target of a post was published", "posts"),
    ("post.failed", "Every target of a post failed", "posts"),
    ("post.partial", "Some targets of a post were published and some failed", "posts"),
    ("post.updated", "A draft, scheduled or failed post was edited", "posts"),
    ("post.deleted", "A post was deleted", "posts"),
    ("post.unpublished", "A post was removed from one or more platforms", "posts"),
    ("post.retried", "A failed or partial post is being retried", "posts"),
    ("comment.received", "A new comment arrived on a connected account", "inbox"),
    ("dm.received", "A direct message arrived", "inbox"),
    ("dm.sent", "A direct message was sent", "inbox"),
    ("dm.referral", "A conversation started from a referral", "inbox"),
    ("dm.postback", "A user tapped a postback button", "inbox"),
    ("dm.status.sent", "A sent message left the platform's queue", "inbox"),
    ("dm.status.delivered", "A sent message was delivered", "inbox"),
    ("dm.status.read", "A sent message was read", "inbox"),
    ("dm.status.failed", "A sent message could not be delivered", "inbox"),
    ("review.received", "A new review arrived", "inbox"),
    ("mention.received", "A connected account was mentioned", "inbox"),
    ("account.connected", "A social account was connected", "accounts"),
    ("account.disconnected", "A social account was disconnected", "accounts"),
    ("page.removed", "A page was removed from a connected account", "accounts"),
)
EVENTS = frozenset(name for name, _, _ in EVENT_CATALOGUE)
TEST_EVENT = "webhook.test"
MAX_ATTEMPTS = 5
# Wait before attempt n+2 after attempt n+1 failed.
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=3))
MAX_ENDPOINTS = 100
MAX_DELIVERIES = 10_000
URL_MAX = 2048
DEFAULT_PAGE = 50
MAX_PAGE = 100
CREATED_MESSAGE = "Store the secret securely. It will not be shown again."


DELIVERED = "delivered"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One attempt to send, claimed by the sender; hand it back with ``record_attempt``."""

    delivery_id: str
    url: str
    headers: dict[str, str]
    body: bytes
    number: int
    due_at: datetime
    epoch: int


@dataclass(frozen=True, slots=True)
class AttemptResult:
    status_code: int | None
    response_body: str = ""
    duration_ms: int = 0
    error_message: str = ""


@dataclass(frozen=True, slots=True)
class StatBucket:
    delivered: int
    failed: int


@dataclass(slots=True)
class DeliveryPage:
    deliveries: list[Delivery]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class DeliverySummary:
    pending: int
    in_flight: int
    delivered: int
    failed: int
    next_attempt_at: datetime | None


def sign(secret: str, body: bytes) -> str:
    """``X-SocialAPI-Signature``: what ``socialapi.verify_signature`` checks."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sign_v2(secret: str, timestamp: int, body: bytes) -> str:
    """``X-SocialAPI-Signature-V2``: the HMAC of ``"<timestamp>.<body>"``, which pins the timestamp."""
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


class Webhooks(Area):
    """The webhooks area: ``/v1/webhooks`` and the delivery outbox that event records feed."""

    def __init__(self, tenant: Tenant) -> None:
        super().__init__(tenant)
        tenant.listeners.append(self._enqueue_event)
        tenant.restored.append(self._reschedule)

    def _reschedule(self) -> None:
        """After a restore: a pending delivery missing from the schedule (in flight when the state was
        taken, or from a document that carried no schedule) is queued again at its due instant."""
        webhooks = self.state.webhooks
        queued = {delivery_id for _, _, delivery_id in webhooks.due}
        for delivery in webhooks.deliveries.values():
            if delivery.status == PENDING and delivery.id not in queued:
                delivery.in_flight = False
                self._schedule(delivery, delivery.next_attempt_at or delivery.created_at)

    # -- endpoints ---------------------------------------------------------------------------------

    def create_webhook(self, url: str, events: list[str]) -> Endpoint:
        with self.lock:
            if len(self.state.webhooks.endpoints) >= MAX_ENDPOINTS:
                raise ValidationFailed.invalid("url", f"at most {MAX_ENDPOINTS} webhook endpoints per tenant")
            checked_url = check_url(url)
            checked_events = check_events(events)
            now = self.clock.now()
            endpoint = Endpoint(
                self.state.ids.next("wh_", now),
                checked_url,
                checked_events,
                "whsec_" + self.state.ids.hex(64),
                True,
                now,
            )
            self.state.webhooks.endpoints[endpoint.id] = endpoint
            return endpoint

    def list_webhooks(self) -> list[Endpoint]:
        with self.lock:
            return list(self.state.webhooks.endpoints.values())

    def get_webhook(self, webhook_id: str) -> Endpoint:
        with self.lock:
            return self._endpoint(webhook_id)

    def webhook_stats(self, webhook_id: str) -> tuple[StatBucket, StatBucket]:
        """Deliveries finished in the last 24 h and 7 days of fake time, by outcome."""
        with self.lock:
            self._endpoint(webhook_id)
            now = self.clock.now()
            day = _bucket(self._finished(webhook_id), now - timedelta(days=1))
            week = _bucket(self._finished(webhook_id), now - timedelta(days=7))
            return day, week

    def _finished(self, webhook_id: str) -> Iterable[Delivery]:
        return (
            d
            for d in self.state.webhooks.deliveries.values()
            if d.endpoint_id == webhook_id and d.finished_at is not None
        )

    def update_webhook(
        self, webhook_id: str, *, url: str | None, events: list[str] | None, is_active: bool | None
    ) -> Endpoint:
        with self.lock:
            endpoint = self._endpoint(webhook_id)
            if url is None and events is None and is_active is None:
                raise ValidationFailed.required("url", "give at least one of url, events, is_active")
            checked_url = endpoint.url if url is None else check_url(url)
            checked_events = endpoint.events if events is None else check_events(events)
            endpoint.url = checked_url
            endpoint.events = checked_events
            if is_active is not None:
                endpoint.is_active = is_active
            return endpoint

    def delete_webhook(self, webhook_id: str) -> None:
        with self.lock:
            self._endpoint(webhook_id)
            del self.state.webhooks.endpoints[webhook_id]
            for delivery_id in [d.id for d in self.state.webhooks.deliveries.values() if d.endpoint_id == webhook_id]:
                del self.state.webhooks.deliveries[delivery_id]

    def _endpoint(self, webhook_id: str) -> Endpoint:
        endpoint = self.state.webhooks.endpoints.get(webhook_id)
        if endpoint is None:
            raise NotFound.of("webhook", webhook_id)
        return endpoint

    # -- deliveries --------------------------------------------------------------------------------

    def list_deliveries(
        self,
        webhook_id: str,
        *,
        status: str | None = None,
        event_type: str | None = None,
        limit: int = DEFAULT_PAGE,
        cursor: str | None = None,
    ) -> DeliveryPage:
        """An endpoint's deliveries, newest first; the cursor is the last id of the previous page."""
        with self.lock:
            self._endpoint(webhook_id)
            if not 1 <= limit <= MAX_PAGE:
                raise ValidationFailed.invalid("limit", messages.LIMIT_RANGE.format(max=MAX_PAGE))
            if status is not None and status not in (PENDING, DELIVERED, FAILED):
                raise ValidationFailed.invalid("status", "status must be one of pending, delivered, failed")
            if cursor is not None:
                anchor = self.state.webhooks.deliveries.get(cursor)
                if anchor is None or anchor.endpoint_id != webhook_id:
                    raise ValidationFailed.invalid("cursor", messages.CURSOR_INVALID)
            found: list[Delivery] = []
            passed = cursor is None
            for delivery in reversed(self.state.webhooks.deliveries.values()):
                if not passed:
                    passed = delivery.id == cursor
                    continue
                if delivery.endpoint_id != webhook_id:
                    continue
                if (status is not None and delivery.status != status) or (
                    event_type is not None and delivery.event_type != event_type
                ):
                    continue
                found.append(delivery)
                if len(found) > limit:
                    break
            has_more = len(found) > limit
            del found[limit:]
            return DeliveryPage(found, found[-1].id if has_more else None)

    def get_delivery(self, webhook_id: str, delivery_id: str) -> Delivery:
        with self.lock:
            self._endpoint(webhook_id)
            delivery = self.state.webhooks.deliveries.get(delivery_id)
            if delivery is None or delivery.endpoint_id != webhook_id:
                raise NotFound.of("delivery", delivery_id)
            return delivery

    def retry_delivery(self, webhook_id: str, delivery_id: str) -> Outgoing:
        """A manual attempt, now; the caller sends it and reports back with ``record_attempt``."""
        with self.lock:
            delivery = self.get_delivery(webhook_id, delivery_id)
            if delivery.in_flight:
                raise Conflict(
                    f"delivery {delivery_id} is being attempted right now",
                    code="webhook.delivery_in_flight",
                    meta={"id": delivery_id},
                )
            delivery.next_attempt_at = None
            return self._claim(delivery, self.clock.now())

    def create_test_delivery(self, webhook_id: str, event_type: str | None, payload: Any) -> Outgoing:
        """``POST /v1/webhooks/{id}/test``: one attempt, now, never retried, even to a disabled endpoint."""
        event_type = event_type or TEST_EVENT
        with self.lock:
            endpoint = self._endpoint(webhook_id)
            if event_type not in EVENTS and event_type != TEST_EVENT:
                raise ValidationFailed.invalid("event_type", messages.UNKNOWN_EVENT_TYPE.format(event=event_type[:80]))
            now = self.clock.now()
            body = _body(event_type, payload)
            delivery = Delivery(self.state.ids.next("whd_", now), endpoint.id, event_type, "Test delivery", body, now)
            delivery.is_test = True
            self._add_delivery(delivery)
            return self._claim(delivery, now)

    def next_delivery_due(self) -> datetime | None:
        """When the earliest queued attempt is due (it may be stale: claiming skips those).

        Runs after every API response, so it skips the lock: reading the heap's head is atomic.
        """
        due = self.state.webhooks.due
        try:
            return due[0][0]
        except IndexError:
            return None

    def claim_due_deliveries(self) -> list[Outgoing]:
        """Every attempt due by the clock's now, marked in flight so no other sender takes it."""
        with self.lock:
            now = self.clock.now()
            claimed: list[Outgoing] = []
            while self.state.webhooks.due and self.state.webhooks.due[0][0] <= now:
                due_at, _, delivery_id = heapq.heappop(self.state.webhooks.due)
                delivery = self.state.webhooks.deliveries.get(delivery_id)
                if delivery is None or delivery.in_flight or delivery.next_attempt_at != due_at:
                    continue
                endpoint = self.state.webhooks.endpoints.get(delivery.endpoint_id)
                if endpoint is None or not endpoint.is_active:
                    delivery.status = FAILED
                    delivery.next_attempt_at = None
                    delivery.finished_at = due_at
                    continue
                claimed.append(self._claim(delivery, due_at))
            return claimed

    def record_attempt(self, outgoing: Outgoing, result: AttemptResult) -> None:
        """The outcome of a claimed attempt: delivered, retried later, or failed for good."""
        with self.lock:
            delivery = self.state.webhooks.deliveries.get(outgoing.delivery_id)
            if outgoing.epoch != self.tenant.epoch or delivery is None or not delivery.in_flight:
                return
            attempt = Attempt(
                outgoing.number,
                result.status_code,
                result.response_body,
                result.duration_ms,
                result.error_message,
                outgoing.due_at,
            )
            delivery.attempts.append(attempt)
            delivery.in_flight = False
            if attempt.ok:
                delivery.status = DELIVERED
                delivery.finished_at = outgoing.due_at
            elif not delivery.is_test and delivery.status == PENDING and attempt.number < MAX_ATTEMPTS:
                self._schedule(delivery, shifted(outgoing.due_at, RETRY_DELAYS[attempt.number - 1]))
            else:
                delivery.status = FAILED
                delivery.finished_at = outgoing.due_at

    def delivery_summary(self) -> DeliverySummary:
        with self.lock:
            deliveries = self.state.webhooks.deliveries.values()
            waiting = [d.next_attempt_at for d in deliveries if d.next_attempt_at is not None]
            return DeliverySummary(
                pending=sum(d.status == PENDING for d in deliveries),
                in_flight=sum(d.in_flight for d in deliveries),
                delivered=sum(d.status == DELIVERED for d in deliveries),
                failed=sum(d.status == FAILED for d in deliveries),
                next_attempt_at=min(waiting) if waiting else None,
            )

    # -- from events to deliveries -----------------------------------------------------------------

    def _enqueue_event(self, record: EventRecord) -> None:
        event_type = record.event
        subscribed = [e for e in self.state.webhooks.endpoints.values() if e.is_active and event_type in e.events]
        if not subscribed:
            return
        at = parse_instant(record.created_at)
        body = webhook_body(record)
        post_id = record.post_id
        description = f"{event_type} {post_id}" if post_id else event_type
        for endpoint in subscribed:
            delivery = Delivery(self.state.ids.next("whd_", at), endpoint.id, event_type, description, body, at)
            self._add_delivery(delivery)
            self._schedule(delivery, at)

    def _add_delivery(self, delivery: Delivery) -> None:
        self.state.webhooks.deliveries[delivery.id] = delivery
        while len(self.state.webhooks.deliveries) > MAX_DELIVERIES:
            oldest = next(iter(self.state.webhooks.deliveries.values()))
            del self.state.webhooks.deliveries[oldest.id]

    def _schedule(self, delivery: Delivery, at: datetime) -> None:
        delivery.status = PENDING
        delivery.next_attempt_at = at
        self.state.webhooks.due_seq += 1
        heapq.heappush(self.state.webhooks.due, (at, self.state.webhooks.due_seq, delivery.id))

    def _claim(self, delivery: Delivery, due_at: datetime) -> Outgoing:
        endpoint = self.state.webhooks.endpoints[delivery.endpoint_id]
        delivery.in_flight = True
        delivery.next_attempt_at = None
        timestamp = int(due_at.timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "SocialAPI-Webhooks/1.0 (socialapi-mock)",
            "X-SocialAPI-Event": delivery.event_type,
            "X-SocialAPI-Timestamp": str(timestamp),
            "X-SocialAPI-Signature": sign(endpoint.secret, delivery.body),
            "X-SocialAPI-Signature-V2": sign_v2(endpoint.secret, timestamp, delivery.body),
        }
        if not delivery.is_test:
            # Stable across retries, so receivers can deduplicate; absent on test pings, as upstream.
            headers["X-SocialAPI-Delivery"] = delivery.id
        number = len(delivery.attempts) + 1
        return Outgoing(delivery.id, endpoint.url, headers, delivery.body, number, due_at, self.tenant.epoch)


def _body(event_type: str, data: Any) -> bytes:
    return json.dumps({"event": event_type, "data": data}, separators=(",", ":"), ensure_ascii=False).encode()


def _bucket(finished: Iterable[Delivery], since: datetime) -> StatBucket:
    delivered = failed = 0
    for delivery in finished:
        if delivery.finished_at is not None and delivery.finished_at > since:
            delivered += delivery.status == DELIVERED
            failed += delivery.status == FAILED
    return StatBucket(delivered, failed)


def check_url(url: str) -> str:
    """HTTPS anywhere; plain HTTP only to a loopback host (the real API refuses all HTTP)."""
    if len(url) > URL_MAX:
        raise ValidationFailed.invalid("url", f"url must be at most {URL_MAX} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValidationFailed.invalid("url", "url is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ValidationFailed.invalid("url", "url must be an absolute https:// URL")
    if parts.scheme == "http" and not _is_loopback(host) and not is_in_process_host(host):
        raise ValidationFailed.invalid(
            "url", "url must use HTTPS (the mock also allows http:// to a loopback host or a .test host)"
        )
    return url


def is_in_process_host(host: str) -> bool:
    """A ``.test`` host (reserved, never on a network): the mock delivers to itself in-process.

    That is the host of the in-process pytest handle's URLs, so its webhook sinks receive deliveries
    without a socket.
    """
    return host.lower().endswith(".test")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_events(events: list[str]) -> tuple[str, ...]:
    if not events:
        raise ValidationFailed.invalid("events", "events must name at least one event type")
    for index, event in enumerate(events):
        if event not in EVENTS:
            raise ValidationFailed.invalid(f"events[{index}]", messages.UNKNOWN_EVENT_TYPE.format(event=event[:80]))
    return tuple(dict.fromkeys(events))
