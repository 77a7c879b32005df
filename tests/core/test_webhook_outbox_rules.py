"""The webhook outbox's exact answers: refusals, bounds, stats windows, caps, and what a restore resumes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from mockserver import MockServer, PublishingBackend
from mockserver.core.errors import DomainError, NotFound, ValidationFailed
from mockserver.core.snapshot import export_state, restore_state
from mockserver.core.webhooks import outbox
from tests.conftest import ACCOUNTS
from tests.core.outbox_support import DOWN, OK, URL, claim_one, publish


@pytest.fixture
def backend() -> PublishingBackend:
    return MockServer().tenant("sapi_key_outbox")


def refusal(action: Callable[[], object]) -> tuple[str, dict[str, Any], str]:
    with pytest.raises(DomainError) as raised:
        action()
    return raised.value.code, raised.value.meta, raised.value.message


def test_each_refusal_names_its_field_and_says_why(backend: PublishingBackend) -> None:
    hooks = backend.webhooks
    endpoint = hooks.create_webhook(URL, ["post.published"])
    other = hooks.create_webhook(URL, ["post.published"])
    publish(backend)
    outgoing = hooks.claim_due_deliveries()[1]

    assert refusal(lambda: hooks.update_webhook(endpoint.id, url=None, events=None, is_active=None)) == (
        "validation.field_required",
        {"field": "url"},
        "give at least one of url, events, is_active",
    )
    assert refusal(lambda: hooks.list_deliveries(endpoint.id, limit=0)) == (
        "validation.field_invalid",
        {"field": "limit"},
        "limit must be an integer between 1 and 100",
    )
    assert refusal(lambda: hooks.list_deliveries(endpoint.id, status="lost")) == (
        "validation.field_invalid",
        {"field": "status"},
        "status must be one of pending, delivered, failed",
    )
    # A cursor from another endpoint's deliveries is no cursor of this one.
    assert refusal(lambda: hooks.list_deliveries(endpoint.id, cursor=outgoing.delivery_id)) == (
        "validation.field_invalid",
        {"field": "cursor"},
        "cursor is not valid for this query",
    )
    assert refusal(lambda: hooks.get_delivery(endpoint.id, outgoing.delivery_id))[:2] == (
        "delivery.not_found",
        {"resource": "delivery", "id": outgoing.delivery_id},
    )
    assert refusal(lambda: hooks.get_webhook("wh_missing"))[:2] == (
        "webhook.not_found",
        {"resource": "webhook", "id": "wh_missing"},
    )
    assert refusal(lambda: hooks.retry_delivery(other.id, outgoing.delivery_id)) == (
        "webhook.delivery_in_flight",
        {"id": outgoing.delivery_id},
        f"delivery {outgoing.delivery_id} is being attempted right now",
    )
    long_name = "post." + "x" * 100
    assert refusal(lambda: hooks.create_test_delivery(endpoint.id, long_name, None)) == (
        "validation.field_invalid",
        {"field": "event_type"},
        f"unknown event type {long_name[:80]!r}",
    )
    assert refusal(lambda: hooks.create_webhook(URL, [])) == (
        "validation.field_invalid",
        {"field": "events"},
        "events must name at least one event type",
    )
    assert refusal(lambda: hooks.create_webhook(URL, ["post.published", long_name])) == (
        "validation.field_invalid",
        {"field": "events[1]"},
        f"unknown event type {long_name[:80]!r}",
    )


def test_a_page_holds_between_one_and_a_hundred_deliveries(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    for n in range(2):
        publish(backend, f"post {n}")
    assert len(backend.webhooks.list_deliveries(endpoint.id, limit=1).deliveries) == 1
    assert len(backend.webhooks.list_deliveries(endpoint.id, limit=100).deliveries) == 2
    with pytest.raises(ValidationFailed):
        backend.webhooks.list_deliveries(endpoint.id, limit=101)


def test_pages_of_three_skip_other_endpoints_deliveries(backend: PublishingBackend) -> None:
    mine = backend.webhooks.create_webhook(URL, ["post.published"])
    backend.webhooks.create_webhook(URL, ["post.published"])
    for n in range(5):
        publish(backend, f"post {n}")
    newest_first = [d.id for d in backend.webhooks.list_deliveries(mine.id, limit=100).deliveries]
    assert len(newest_first) == 5

    first = backend.webhooks.list_deliveries(mine.id, limit=3)
    assert [d.id for d in first.deliveries] == newest_first[:3]
    assert first.next_cursor == newest_first[2]
    second = backend.webhooks.list_deliveries(mine.id, limit=3, cursor=first.next_cursor)
    assert [d.id for d in second.deliveries] == newest_first[3:]
    assert second.next_cursor is None


def test_at_most_a_hundred_endpoints_per_tenant(backend: PublishingBackend) -> None:
    for _ in range(100):
        backend.webhooks.create_webhook(URL, ["post.published"])
    assert refusal(lambda: backend.webhooks.create_webhook(URL, ["post.published"])) == (
        "validation.field_invalid",
        {"field": "url"},
        "at most 100 webhook endpoints per tenant",
    )
    assert len(backend.webhooks.list_webhooks()) == 100


def test_stats_count_an_endpoints_own_deliveries_finished_within_a_day_and_a_week(
    backend: PublishingBackend,
) -> None:
    mine = backend.webhooks.create_webhook(URL, ["post.published"])
    other = backend.webhooks.create_webhook(URL, ["post.published"])
    for endpoint, result in ((mine, DOWN), (other, OK), (mine, DOWN), (mine, OK), (other, DOWN)):
        ping = backend.webhooks.create_test_delivery(endpoint.id, "post.published", {})
        backend.webhooks.record_attempt(ping, result)

    def counts() -> tuple[int, int, int, int]:
        day, week = backend.webhooks.webhook_stats(mine.id)
        return day.delivered, day.failed, week.delivered, week.failed

    assert counts() == (1, 2, 1, 2)
    # Exactly a day later the day's window no longer holds them; exactly a week later, neither window.
    backend.posts.advance_clock(seconds=86400)
    assert counts() == (0, 0, 1, 2)
    backend.posts.advance_clock(seconds=6 * 86400)
    assert counts() == (0, 0, 0, 0)


def test_deleting_an_endpoint_keeps_the_other_endpoints_deliveries(backend: PublishingBackend) -> None:
    doomed = backend.webhooks.create_webhook(URL, ["post.published"])
    kept = backend.webhooks.create_webhook(URL, ["post.published"])
    publish(backend)
    backend.webhooks.delete_webhook(doomed.id)
    assert len(backend.webhooks.list_deliveries(kept.id).deliveries) == 1


def test_a_stale_or_disabled_entry_does_not_hold_up_the_retries_due_after_it(backend: PublishingBackend) -> None:
    retried = backend.webhooks.create_webhook("https://a.example.com/hook", ["post.published"])
    disabled = backend.webhooks.create_webhook("https://b.example.com/hook", ["post.published"])
    waiting = backend.webhooks.create_webhook("https://c.example.com/hook", ["post.published"])
    publish(backend)
    for outgoing in backend.webhooks.claim_due_deliveries():
        backend.webhooks.record_attempt(outgoing, DOWN)
    # A manual retry leaves the automatic one queued ahead of the others, stale; a disabled endpoint's
    # retry is queued ahead too.
    manual = backend.webhooks.retry_delivery(retried.id, backend.webhooks.list_deliveries(retried.id).deliveries[0].id)
    backend.webhooks.update_webhook(disabled.id, url=None, events=None, is_active=False)
    backend.posts.advance_clock(seconds=30)

    assert [o.url for o in backend.webhooks.claim_due_deliveries()] == [waiting.url]
    given_up = backend.webhooks.list_deliveries(disabled.id).deliveries[0]
    assert (given_up.status, given_up.next_attempt_at, given_up.finished_at) == ("failed", None, backend.now())
    assert backend.webhooks.webhook_stats(disabled.id)[0].failed == 1
    assert backend.webhooks.delivery_summary().next_attempt_at is None
    assert manual.number == 2


def test_a_result_recorded_twice_counts_once(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    publish(backend)
    outgoing = claim_one(backend)
    backend.webhooks.record_attempt(outgoing, DOWN)
    backend.webhooks.record_attempt(outgoing, DOWN)
    delivery = backend.webhooks.get_delivery(endpoint.id, outgoing.delivery_id)
    assert len(delivery.attempts) == 1
    assert delivery.next_attempt_at == backend.now() + timedelta(seconds=30)


def test_a_delivery_of_an_event_without_a_post_is_described_by_its_type(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["account.disconnected"])
    backend.connections.disconnect_account(ACCOUNTS["facebook"])
    outgoing = claim_one(backend)
    assert outgoing.delivery_id.startswith("whd_")
    delivery = backend.webhooks.get_delivery(endpoint.id, outgoing.delivery_id)
    assert delivery.description == "account.disconnected"


def test_a_test_ping_is_compact_utf8_json_with_the_mocks_user_agent(backend: PublishingBackend) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    outgoing = backend.webhooks.create_test_delivery(endpoint.id, "webhook.test", {"text": "café ☕", "n": [1, 2]})
    assert outgoing.delivery_id.startswith("whd_")
    assert outgoing.body == '{"event":"webhook.test","data":{"text":"café ☕","n":[1,2]}}'.encode()
    assert outgoing.headers["User-Agent"] == "SocialAPI-Webhooks/1.0 (socialapi-mock)"


def test_the_oldest_deliveries_make_room_past_the_cap(
    backend: PublishingBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox, "MAX_DELIVERIES", 2)
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    ids = [backend.webhooks.create_test_delivery(endpoint.id, "webhook.test", n).delivery_id for n in range(3)]
    assert [d.id for d in backend.webhooks.list_deliveries(endpoint.id).deliveries] == ids[:0:-1]
    with pytest.raises(NotFound):
        backend.webhooks.get_delivery(endpoint.id, ids[0])


def test_a_delivery_in_flight_when_the_state_was_taken_is_attempted_again_after_a_restore(
    backend: PublishingBackend,
) -> None:
    endpoint = backend.webhooks.create_webhook(URL, ["post.published"])
    start = backend.now()
    publish(backend)
    in_flight = claim_one(backend)
    state = json.dumps(export_state(backend.tenant))

    restored = MockServer().tenant("sapi_key_outbox")
    restore_state(restored.tenant, state)
    summary = restored.webhooks.delivery_summary()
    assert (summary.pending, summary.in_flight, summary.next_attempt_at) == (1, 0, start)
    again = claim_one(restored)
    assert (again.delivery_id, again.number, again.due_at) == (in_flight.delivery_id, 1, start)
    restored.webhooks.record_attempt(again, OK)
    assert restored.webhooks.get_delivery(endpoint.id, again.delivery_id).status == "delivered"


def test_each_refused_url_gets_its_own_reason(backend: PublishingBackend) -> None:
    def reason(url: str) -> str:
        code, meta, message = refusal(lambda: backend.webhooks.create_webhook(url, ["post.published"]))
        assert (code, meta) == ("validation.field_invalid", {"field": "url"})
        return message

    longest = "https://example.com/" + "a" * (2048 - len("https://example.com/"))
    assert backend.webhooks.create_webhook(longest, ["post.published"]).url == longest
    assert reason(longest + "a") == "url must be at most 2048 characters"
    assert reason("https://example.com:99999/") == "url is not a valid URL"
    assert reason("ftp://example.com/hook") == "url must be an absolute https:// URL"
    assert reason("http://example.com/hook") == (
        "url must use HTTPS (the mock also allows http:// to a loopback host or a .test host)"
    )


@pytest.mark.parametrize("url", ["http://shop.test/hook", "http://Shop.TEST/hook"])
def test_plain_http_to_a_test_host_is_accepted(backend: PublishingBackend, url: str) -> None:
    assert backend.webhooks.create_webhook(url, ["post.published"]).url == url


def test_a_pending_retry_from_a_document_without_a_schedule_is_queued_at_its_due_time(
    backend: PublishingBackend,
) -> None:
    backend.webhooks.create_webhook(URL, ["post.published"])
    start = backend.now()
    publish(backend)
    backend.webhooks.record_attempt(claim_one(backend), DOWN)
    state = export_state(backend.tenant)
    state["state"]["webhooks"]["due"] = []

    restored = MockServer().tenant("sapi_key_outbox")
    restore_state(restored.tenant, json.dumps(state))
    assert restored.webhooks.claim_due_deliveries() == []
    restored.posts.advance_clock(seconds=30)
    retry = claim_one(restored)
    assert (retry.number, retry.due_at) == (2, start + timedelta(seconds=30))
