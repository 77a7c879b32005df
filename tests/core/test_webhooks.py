"""The webhook registry and delivery outbox, driven on a backend directly (no HTTP is sent here)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from socialapi import verify_signature

from mockserver import MockServer, PublishingBackend
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import Conflict, NotFound, ValidationFailed
from mockserver.core.snapshot import export_state, restore_state
from mockserver.core.webhooks.outbox import EVENTS, MAX_ATTEMPTS
from tests.conftest import ACCOUNTS
from tests.core.outbox_support import DOWN, OK, URL, claim_one, publish


@pytest.fixture
def backend() -> PublishingBackend:
    return MockServer().tenant("sapi_key_hooks")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/hook",
        "https://10.0.0.1:8443/hook",
        "http://127.0.0.1:9999/hook",
        "http://localhost/hook",
        "http://[::1]:8080/",
    ],
)
def test_https_anywhere_and_http_to_loopback_are_accepted(backend: PublishingBackend, url: str) -> None:
    assert backend.webhooks.create_webhook(url, ["post.published"]).url == url


@pytest.mark.parametrize(
    ("url", "events", "field"),
    [
        ("http://example.com/hook", ["post.published"], "url"),
        ("http://10.0.0.1/hook", ["post.published"], "url"),
        ("ftp://example.com/hook", ["post.published"], "url"),
        ("example.com/hook", ["post.published"], "url"),
        ("https://example.com:99999/", ["post.published"], "url"),
        ("https://" + "a" * 2050, ["post.published"], "url"),
        (URL, [], "events"),
        (URL, ["post.published", "post.exploded"], "events[1]"),
    ],
)
def test_bad_registrations_are_refused_and_change_nothing(
    backend: PublishingBackend, url: str, events: list[str], field: str
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        backend.webhooks.create_webhook(url, events)
    assert raised.value.meta["field"] == field
    assert backend.webhooks.list_webhooks() == []


def test_an_endpoint_gets_a_secret_and_deduplicated_events(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.failed", "post.published", "post.failed"])
    assert endpoint.id.startswith("wh_") and len(endpoint.id) == 29
    assert endpoint.events == ("post.failed", "post.published")
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) == 6 + 64
    assert endpoint.secret_hint == "whsec_..." + endpoint.secret[-4:]
    assert backend.webhooks.get_webhook(endpoint.id) is endpoint


def test_only_active_endpoints_subscribed_to_the_event_get_a_delivery(backend: PublishingBackend) -> None:
    wanted = backend.webhooks.create_webhook(URL, ["post.published"])
    backend.webhooks.create_webhook(URL, ["post.failed"])
    disabled = backend.webhooks.create_webhook(URL, ["post.published"])
    backend.webhooks.update_webhook(disabled.id, url=None, events=None, is_active=False)

    post_id = publish(backend)

    outgoing = claim_one(backend)
    delivery = backend.webhooks.get_delivery(wanted.id, outgoing.delivery_id)
    assert delivery.event_type == "post.published"
    assert delivery.payload["event"] == "post.published"
    assert delivery.payload["data"]["post_id"] == post_id
    assert delivery.description == f"post.published {post_id}"
    assert outgoing.url == URL


def test_an_attempt_is_signed_for_the_sdk_and_with_the_timestamped_v2(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.scheduled"])
    backend.posts.create_post(
        NewPost(
            text="later",
            scheduled_at=backend.now() + timedelta(hours=1),
            targets=(NewTarget(ACCOUNTS["facebook"]),),
        )
    )
    outgoing = claim_one(backend)
    headers = outgoing.headers

    assert verify_signature(secret=endpoint.secret, payload=outgoing.body, signature=headers["X-SocialAPI-Signature"])
    assert not verify_signature(
        secret=endpoint.secret, payload=outgoing.body + b" ", signature=headers["X-SocialAPI-Signature"]
    )
    timestamp = headers["X-SocialAPI-Timestamp"]
    assert int(timestamp) == int(backend.now().timestamp())
    v2 = hmac.new(endpoint.secret.encode(), f"{timestamp}.".encode() + outgoing.body, hashlib.sha256).hexdigest()
    assert headers["X-SocialAPI-Signature-V2"] == f"sha256={v2}"
    assert headers["X-SocialAPI-Event"] == "post.scheduled"
    assert headers["X-SocialAPI-Delivery"] == outgoing.delivery_id
    assert headers["Content-Type"] == "application/json"
    assert json.loads(outgoing.body)["data"]["status"] == "scheduled"


def test_failures_are_retried_on_the_fake_clock_schedule_then_given_up(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    start = backend.now()
    publish(backend)
    expected_due = [start]
    for delay in (timedelta(seconds=30), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=3)):
        expected_due.append(expected_due[-1] + delay)

    delivery_id = ""
    for number, due in enumerate(expected_due, start=1):
        # Nothing is due a moment early; the clock reaching the instant makes it due.
        if due > backend.now():
            backend.posts.advance_clock(to=due - timedelta(seconds=1))
            assert backend.webhooks.claim_due_deliveries() == []
            backend.posts.advance_clock(to=due)
        outgoing = claim_one(backend)
        assert (outgoing.number, outgoing.due_at) == (number, due)
        assert outgoing.headers["X-SocialAPI-Delivery"] == (delivery_id or outgoing.delivery_id)
        delivery_id = outgoing.delivery_id
        backend.webhooks.record_attempt(outgoing, DOWN)

    delivery = backend.webhooks.get_delivery(endpoint.id, delivery_id)
    assert delivery.status == "failed"
    assert len(delivery.attempts) == MAX_ATTEMPTS
    assert [a.created_at for a in delivery.attempts] == expected_due
    assert delivery.attempts[-1].error_message == "HTTP 503"
    backend.posts.advance_clock(seconds=86400)
    assert backend.webhooks.claim_due_deliveries() == []
    assert backend.webhooks.webhook_stats(endpoint.id)[1].failed == 1


def test_the_schedule_counts_from_due_times_not_from_when_the_sender_ran(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    start = backend.now()
    publish(backend)
    backend.posts.advance_clock(seconds=3600)  # nobody sent anything for an hour

    first = claim_one(backend)
    assert first.due_at == start
    backend.webhooks.record_attempt(first, DOWN)
    # The retries due by now go out at once, each stamped with its own due time.
    second = claim_one(backend)
    assert second.due_at == start + timedelta(seconds=30)
    backend.webhooks.record_attempt(second, DOWN)
    third = claim_one(backend)
    assert third.due_at == start + timedelta(seconds=330)
    backend.webhooks.record_attempt(third, OK)
    delivery = backend.webhooks.get_delivery(endpoint.id, third.delivery_id)
    assert delivery.status == "delivered"
    assert delivery.finished_at == third.due_at
    assert backend.webhooks.webhook_stats(endpoint.id)[0].delivered == 1


def test_a_claimed_attempt_is_not_handed_out_twice(backend: PublishingBackend) -> None:
    backend.webhooks.create_webhook(URL, ["post.published"])
    backend.webhooks.create_webhook(URL, ["post.published"])
    publish(backend)
    claimed = backend.webhooks.claim_due_deliveries()
    assert len(claimed) == 2
    assert backend.webhooks.claim_due_deliveries() == []
    assert backend.webhooks.delivery_summary().in_flight == 2
    assert backend.webhooks.next_delivery_due() is None


def test_results_of_attempts_from_before_a_reset_are_ignored(backend: PublishingBackend) -> None:
    backend.webhooks.create_webhook(URL, ["post.published"])
    publish(backend)
    stale = claim_one(backend)
    backend.reset()
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    publish(backend)
    fresh = claim_one(backend)
    assert fresh.delivery_id == stale.delivery_id  # same seed, same ids

    backend.webhooks.record_attempt(stale, OK)
    assert backend.webhooks.get_delivery(endpoint.id, fresh.delivery_id).attempts == []
    backend.webhooks.record_attempt(fresh, OK)
    assert backend.webhooks.get_delivery(endpoint.id, fresh.delivery_id).status == "delivered"


def test_deleting_an_endpoint_drops_its_deliveries_and_their_retries(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    publish(backend)
    backend.webhooks.record_attempt(claim_one(backend), DOWN)
    backend.webhooks.delete_webhook(endpoint.id)
    backend.posts.advance_clock(seconds=60)
    assert backend.webhooks.claim_due_deliveries() == []
    with pytest.raises(NotFound) as raised:
        backend.webhooks.get_webhook(endpoint.id)
    assert raised.value.code == "webhook.not_found"


def test_a_disabled_endpoint_loses_its_pending_retries(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    publish(backend)
    outgoing = claim_one(backend)
    backend.webhooks.record_attempt(outgoing, DOWN)
    backend.webhooks.update_webhook(endpoint.id, url=None, events=None, is_active=False)
    backend.posts.advance_clock(seconds=30)
    assert backend.webhooks.claim_due_deliveries() == []
    assert backend.webhooks.get_delivery(endpoint.id, outgoing.delivery_id).status == "failed"


def test_updates_validate_like_creation_and_need_a_field(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    with pytest.raises(ValidationFailed):
        backend.webhooks.update_webhook(endpoint.id, url=None, events=None, is_active=None)
    with pytest.raises(ValidationFailed):
        backend.webhooks.update_webhook(endpoint.id, url="http://example.com", events=None, is_active=None)
    with pytest.raises(ValidationFailed):
        backend.webhooks.update_webhook(endpoint.id, url="https://other.example.com", events=[], is_active=None)
    assert (endpoint.url, endpoint.events) == (URL, ("post.published",))
    backend.webhooks.update_webhook(
        endpoint.id, url="https://other.example.com", events=["post.failed"], is_active=None
    )
    assert (endpoint.url, endpoint.events, endpoint.is_active) == ("https://other.example.com", ("post.failed",), True)


def test_deliveries_page_newest_first_with_filters(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, list(EVENTS))
    for n in range(5):
        publish(backend, f"post {n}")
    claimed = backend.webhooks.claim_due_deliveries()
    ids = [o.delivery_id for o in claimed]
    for outgoing in claimed[:2]:
        backend.webhooks.record_attempt(outgoing, OK)

    seen: list[str] = []
    cursor = None
    while True:
        page = backend.webhooks.list_deliveries(endpoint.id, limit=2, cursor=cursor)
        seen += [d.id for d in page.deliveries]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    delivered = backend.webhooks.list_deliveries(endpoint.id, status="delivered").deliveries
    assert [d.id for d in delivered] == list(reversed(ids[:2]))
    assert backend.webhooks.list_deliveries(endpoint.id, event_type="post.failed").deliveries == []
    with pytest.raises(ValidationFailed):
        backend.webhooks.list_deliveries(endpoint.id, status="lost")
    with pytest.raises(ValidationFailed):
        backend.webhooks.list_deliveries(endpoint.id, cursor="whd_unknown")


def test_a_test_delivery_is_sent_once_without_a_delivery_header(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    outgoing = backend.webhooks.create_test_delivery(endpoint.id, "post.published", {"hello": "world"})
    assert "X-SocialAPI-Delivery" not in outgoing.headers
    assert json.loads(outgoing.body) == {"event": "post.published", "data": {"hello": "world"}}
    backend.webhooks.record_attempt(outgoing, DOWN)
    delivery = backend.webhooks.get_delivery(endpoint.id, outgoing.delivery_id)
    assert (delivery.status, delivery.description) == ("failed", "Test delivery")
    backend.posts.advance_clock(seconds=3600)
    assert backend.webhooks.claim_due_deliveries() == []
    with pytest.raises(ValidationFailed):
        backend.webhooks.create_test_delivery(endpoint.id, "post.exploded", None)


def test_a_manual_retry_is_attempted_now_and_refused_while_in_flight(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    publish(backend)
    first = claim_one(backend)
    with pytest.raises(Conflict):
        backend.webhooks.retry_delivery(endpoint.id, first.delivery_id)
    backend.webhooks.record_attempt(first, DOWN)

    manual = backend.webhooks.retry_delivery(endpoint.id, first.delivery_id)
    assert (manual.number, manual.due_at) == (2, backend.now())
    backend.webhooks.record_attempt(manual, OK)
    assert backend.webhooks.get_delivery(endpoint.id, first.delivery_id).status == "delivered"
    backend.posts.advance_clock(seconds=30)
    assert backend.webhooks.claim_due_deliveries() == []  # the automatic retry it replaced is gone
    with pytest.raises(NotFound):
        backend.webhooks.retry_delivery(endpoint.id, "whd_unknown")


def test_a_tenant_snapshot_carries_endpoints_and_pending_retries(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    publish(backend)
    backend.webhooks.record_attempt(claim_one(backend), DOWN)
    state = export_state(backend.tenant)
    assert state["state"]["webhooks"]["endpoints"][0]["secret"] == endpoint.secret

    restored = MockServer().tenant("sapi_key_hooks")
    restore_state(restored.tenant, json.dumps(state))
    assert export_state(restored.tenant) == state
    restored.posts.advance_clock(seconds=30)
    retry = claim_one(restored)
    assert retry.number == 2
    assert verify_signature(
        secret=endpoint.secret, payload=retry.body, signature=retry.headers["X-SocialAPI-Signature"]
    )


def test_a_snapshot_with_bad_webhook_data_is_refused_and_changes_nothing(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    state = export_state(backend.tenant)
    state["state"]["webhooks"]["deliveries"] = [{"id": "whd_x", "endpoint_id": "wh_missing"}]
    with pytest.raises(ValidationFailed):
        restore_state(backend.tenant, state)
    assert backend.webhooks.list_webhooks() == [endpoint]
