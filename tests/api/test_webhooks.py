"""/v1/webhooks through the official SDK (``sdk.webhooks.*``), delivered to a real HTTP receiver on loopback."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import http.server
import json
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import socialapi
from socialapi import SocialAPI, verify_signature

from mockserver import MockServer, ThreadedServer
from mockserver.api.shapes.webhooks import DeliveryDetailOut, DeliveryListOut, WebhookDetailOut, WebhookEventsOut
from mockserver.core.records.events import PostDelivered
from mockserver.serve import free_port
from mockserver.testing import sync_transport
from tests.conftest import API_KEY, target

WAIT = 5.0


@dataclass(frozen=True, slots=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A tiny HTTP server that records what it gets and answers with the statuses it is told."""

    statuses: list[int] = field(default_factory=list)
    requests: queue.Queue[Received] = field(default_factory=queue.Queue)
    hold: threading.Event | None = None
    url: str = ""

    def next(self) -> Received:
        return self.requests.get(timeout=WAIT)

    def assert_silent(self) -> None:
        assert self.requests.empty()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.requests.put(Received(self.path, dict(self.headers.items()), body))
            if state.hold is not None:
                state.hold.wait(WAIT)
            status = state.statuses.pop(0) if state.statuses else 200
            reply = b"thanks" if status < 300 else b"not now"
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/hooks/socialapi"
    try:
        yield state
    finally:
        if state.hold is not None:
            state.hold.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(WAIT)


def flush(client: httpx.Client) -> dict[str, Any]:
    """Wait until every due attempt has been made; answers the tenant's delivery counts."""
    response = client.post("/_mock/webhooks/flush")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def advance(client: httpx.Client, seconds: float) -> None:
    assert client.post("/_mock/clock/advance", json={"seconds": seconds}).status_code == 200


def publish(sdk: SocialAPI, text: str = "Fresh roast") -> str:
    return sdk.publishing.create(text=text, publish_now=True, targets=[target("facebook")]).id


def test_sdk_registers_an_endpoint_and_the_secret_is_shown_once(
    sdk: SocialAPI, client: httpx.Client, receiver: Receiver
) -> None:
    created = sdk.webhooks.create(url=receiver.url, events=["post.published", "post.failed"])
    assert created.id.startswith("wh_")
    assert created.secret.startswith("whsec_")
    assert created.message == "Store the secret securely. It will not be shown again."

    listed = sdk.webhooks.list()
    assert [(w.id, w.url, w.events, w.is_active) for w in listed] == [
        (created.id, receiver.url, ["post.published", "post.failed"], True)
    ]
    assert listed[0].created_at == datetime(2026, 1, 1, tzinfo=UTC)
    detail = sdk.webhooks.get(created.id)
    assert detail.secret_hint == "whsec_..." + created.secret[-4:]
    assert (detail.stats.last_24h.delivered, detail.stats.last_7d.failed) == (0, 0)
    assert created.secret not in client.get("/v1/webhooks").text + client.get(f"/v1/webhooks/{created.id}").text


def test_a_published_post_is_delivered_signed_for_the_sdks_verify_signature(
    sdk: SocialAPI, client: httpx.Client, receiver: Receiver
) -> None:
    created = sdk.webhooks.create(url=receiver.url, events=["post.published"])
    post_id = publish(sdk)

    got = receiver.next()
    assert got.path == "/hooks/socialapi"
    assert verify_signature(secret=created.secret, payload=got.body, signature=got.headers["X-SocialAPI-Signature"])
    assert not verify_signature(secret="whsec_wrong", payload=got.body, signature=got.headers["X-SocialAPI-Signature"])
    timestamp = got.headers["X-SocialAPI-Timestamp"]
    assert timestamp == str(int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()))  # the fake clock's time
    v2 = hmac.new(created.secret.encode(), f"{timestamp}.".encode() + got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-SocialAPI-Signature-V2"] == f"sha256={v2}"
    assert got.headers["X-SocialAPI-Event"] == "post.published"
    assert got.headers["Content-Type"] == "application/json"
    assert got.json["event"] == "post.published"
    assert got.json["data"]["post_id"] == post_id
    assert got.json["data"]["results"][0]["status"] == "published"

    assert flush(client)["delivered"] == 1
    delivery = sdk.webhooks.list_deliveries(created.id).data[0]
    assert got.headers["X-SocialAPI-Delivery"] == delivery.id
    assert (delivery.status, delivery.attempt_count, delivery.response_status_code) == ("delivered", 1, 200)
    assert delivery.event_type == "post.published"


def test_the_api_answers_without_waiting_for_the_receiver(
    sdk: SocialAPI, client: httpx.Client, receiver: Receiver
) -> None:
    receiver.hold = threading.Event()
    created = sdk.webhooks.create(url=receiver.url, events=["post.published"])
    publish(sdk)
    receiver.next()  # the receiver has the request and is sitting on it...
    assert sdk.posts.list().data  # ...and the API still answers
    pending = sdk.webhooks.list_deliveries(created.id).data[0]
    assert (pending.status, pending.attempt_count) == ("pending", 0)
    receiver.hold.set()
    assert flush(client)["delivered"] == 1


def test_a_failed_attempt_is_retried_when_the_fake_clock_reaches_thirty_seconds(
    sdk: SocialAPI, client: httpx.Client, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    created = sdk.webhooks.create(url=receiver.url, events=["post.published"])
    publish(sdk)
    first = receiver.next()
    summary = flush(client)
    assert (summary["pending"], summary["next_attempt_at"]) == (1, "2026-01-01T00:00:30Z")

    advance(client, 29)
    flush(client)
    receiver.assert_silent()
    advance(client, 1)
    second = receiver.next()
    assert flush(client)["delivered"] == 1

    assert second.body == first.body
    assert second.headers["X-SocialAPI-Delivery"] == first.headers["X-SocialAPI-Delivery"]
    listed = sdk.webhooks.list_deliveries(created.id).data[0]
    detail = sdk.webhooks.get_delivery(created.id, listed.id)
    assert [(a.attempt_number, a.status_code, a.response_body) for a in detail.attempts] == [
        (1, 500, "not now"),
        (2, 200, "thanks"),
    ]
    assert [a.created_at for a in detail.attempts] == ["2026-01-01T00:00:00Z", "2026-01-01T00:00:30Z"]
    assert detail.attempts[0].error_message == "HTTP 500"
    assert detail.payload == first.json
    assert detail.endpoint_id == created.id
    assert sdk.webhooks.get(created.id).stats.last_24h.delivered == 1


def test_an_unreachable_receiver_fails_after_five_attempts(sdk: SocialAPI, client: httpx.Client) -> None:
    closed = f"http://127.0.0.1:{free_port()}/gone"
    created = sdk.webhooks.create(url=closed, events=["post.published"])
    publish(sdk)
    for seconds in (0, 30, 300, 1800):
        advance(client, seconds)
        assert flush(client)["pending"] == 1
    advance(client, 3 * 3600)
    assert flush(client) == {"pending": 0, "in_flight": 0, "delivered": 0, "failed": 1, "next_attempt_at": None}

    delivery = sdk.webhooks.list_deliveries(created.id, status="failed").data[0]
    assert (delivery.attempt_count, delivery.response_status_code) == (5, None)
    detail = sdk.webhooks.get_delivery(created.id, delivery.id)
    assert all(a.status_code is None and a.error_message for a in detail.attempts)
    assert sdk.webhooks.get(created.id).stats.last_7d.failed == 1


def test_sdk_retry_delivery_sends_now_and_answers_the_record(
    sdk: SocialAPI, client: httpx.Client, receiver: Receiver
) -> None:
    receiver.statuses = [503]
    created = sdk.webhooks.create(url=receiver.url, events=["post.published"])
    publish(sdk)
    receiver.next()
    flush(client)
    delivery_id = sdk.webhooks.list_deliveries(created.id).data[0].id

    retried = sdk.webhooks.retry_delivery(created.id, delivery_id)
    assert receiver.next().headers["X-SocialAPI-Delivery"] == delivery_id
    assert (retried.status, retried.attempt_count, retried.response_status_code) == ("delivered", 2, 200)
    advance(client, 60)
    flush(client)
    receiver.assert_silent()  # the automatic retry it replaced does not go out as well
    with pytest.raises(socialapi.NotFoundError):
        sdk.webhooks.retry_delivery(created.id, "whd_01JG00000000000000000000ZZ")


def test_sdk_test_ping_reports_the_receivers_answer(sdk: SocialAPI, receiver: Receiver) -> None:
    created = sdk.webhooks.create(url=receiver.url, events=["post.published"])
    result = sdk.webhooks.test(created.id, event_type="post.published", payload={"post_id": "p_test"})
    assert (result.status, result.response_status_code, result.response_body) == ("delivered", 200, "thanks")
    got = receiver.next()
    assert got.json == {"event": "post.published", "data": {"post_id": "p_test"}}
    assert "X-SocialAPI-Delivery" not in got.headers  # absent on test pings, as upstream
    assert verify_signature(secret=created.secret, payload=got.body, signature=got.headers["X-SocialAPI-Signature"])
    test_delivery = sdk.webhooks.get_delivery(created.id, result.delivery_id)
    assert test_delivery.description == "Test delivery"

    with pytest.raises(socialapi.BadRequestError):
        sdk.webhooks.test(created.id, event_type="post.exploded", payload={})
    with pytest.raises(socialapi.NotFoundError):
        sdk.webhooks.test("wh_01JG00000000000000000000ZZ", event_type="post.published", payload={})


def test_the_reference_body_of_a_test_ping_is_accepted(
    sdk: SocialAPI, client: httpx.Client, receiver: Receiver
) -> None:
    # TestWebhookRequest requires neither field: an empty body sends a webhook.test event.
    created = sdk.webhooks.create(url=receiver.url, events=["post.published"])
    answered = client.post(f"/v1/webhooks/{created.id}/test", json={})
    assert answered.status_code == 200 and answered.json()["status"] == "delivered"
    assert receiver.next().json == {"event": "webhook.test", "data": None}
    answered = client.post(f"/v1/webhooks/{created.id}/test", json={"payload": [0]})
    assert answered.status_code == 200
    assert receiver.next().json == {"event": "webhook.test", "data": [0]}


def test_a_test_ping_to_a_dead_endpoint_reports_status_zero(sdk: SocialAPI) -> None:
    created = sdk.webhooks.create(url=f"http://127.0.0.1:{free_port()}/gone", events=["post.published"])
    result = sdk.webhooks.test(created.id, event_type="webhook.test", payload=None)
    assert (result.status, result.response_status_code) == ("failed", 0)
    assert result.response_body  # the connection error, for the user to read


def test_sdk_update_and_delete(sdk: SocialAPI, client: httpx.Client, receiver: Receiver) -> None:
    created = sdk.webhooks.create(url=receiver.url, events=["post.published"])
    updated = sdk.webhooks.update(created.id, events=["post.failed"], is_active=False)
    assert (updated.events, updated.is_active, updated.url) == (["post.failed"], False, receiver.url)
    publish(sdk)
    flush(client)
    receiver.assert_silent()
    assert sdk.webhooks.list_deliveries(created.id).data == []

    listed = sdk.webhooks.list()[0]
    again = listed.update(is_active=True, events=["post.published"])
    assert again.is_active
    publish(sdk, "Second roast")
    assert receiver.next().json["event"] == "post.published"
    flush(client)

    response = client.delete(f"/v1/webhooks/{created.id}")
    assert (response.status_code, response.json()) == (200, {"ok": True})
    with pytest.raises(socialapi.NotFoundError) as raised:
        sdk.webhooks.get(created.id)
    assert raised.value.code == "webhook.not_found"
    with pytest.raises(socialapi.NotFoundError):
        sdk.webhooks.delete(created.id)


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"url": "http://example.com/hook", "events": ["post.published"]}, "validation.field_invalid", "url"),
        ({"url": "ftp://example.com/hook", "events": ["post.published"]}, "validation.field_invalid", "url"),
        ({"url": "https://example.com/hook", "events": []}, "validation.field_invalid", "events"),
        ({"url": "https://example.com/hook", "events": ["post.exploded"]}, "validation.field_invalid", "events[0]"),
        ({"events": ["post.published"]}, "validation.field_required", "url"),
        ({"url": "https://example.com/hook"}, "validation.field_required", "events"),
        ({"url": 7, "events": ["post.published"]}, "validation.field_invalid", "url"),
    ],
)
def test_bad_registrations_are_a_400_and_register_nothing(
    client: httpx.Client, sdk: SocialAPI, body: dict[str, Any], code: str, field: str
) -> None:
    response = client.post("/v1/webhooks", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["meta"]["field"] == field
    assert sdk.webhooks.list() == []


def test_sdk_create_rejects_plain_http_to_a_public_host(sdk: SocialAPI) -> None:
    with pytest.raises(socialapi.BadRequestError) as raised:
        sdk.webhooks.create(url="http://hooks.example.com/x", events=["post.published"])
    assert "HTTPS" in raised.value.message


@pytest.mark.parametrize("body", [{}, {"url": "http://example.com"}, {"events": []}, {"is_active": "maybe"}], ids=str)
def test_bad_updates_are_a_400_and_change_nothing(client: httpx.Client, sdk: SocialAPI, body: dict[str, Any]) -> None:
    created = sdk.webhooks.create(url="https://hooks.example.com/x", events=["post.published"])
    response = client.patch(f"/v1/webhooks/{created.id}", json=body)
    assert response.status_code == 400
    after = sdk.webhooks.get(created.id)
    assert (after.url, after.events, after.is_active) == ("https://hooks.example.com/x", ["post.published"], True)


def test_sdk_event_catalogue(sdk: SocialAPI, client: httpx.Client) -> None:
    events = sdk.webhooks.list_events()
    assert len(events) == 22
    posts = [e.event for e in events if e.category == "posts"]
    assert posts == [
        "post.scheduled",
        "post.published",
        "post.failed",
        "post.partial",
        "post.updated",
        "post.deleted",
        "post.unpublished",
        "post.retried",
    ]
    assert {e.category for e in events} == {"posts", "inbox", "accounts"}
    WebhookEventsOut.model_validate(client.get("/v1/webhooks/events").json())


def test_deliveries_page_newest_first_and_the_sdk_stops_at_the_end(
    sdk: SocialAPI, client: httpx.Client, receiver: Receiver
) -> None:
    created = sdk.webhooks.create(url=receiver.url, events=["post.published", "post.scheduled"])
    for n in range(3):
        publish(sdk, f"Roast {n}")
    sdk.publishing.create(text="Later", scheduled_at="2026-01-02T09:00:00Z", targets=[target("facebook")])
    flush(client)

    everything = [d.id for d in sdk.webhooks.list_deliveries(created.id, limit=2)]
    assert len(everything) == 4
    first_page = client.get(f"/v1/webhooks/{created.id}/deliveries", params={"limit": 2}).json()
    DeliveryListOut.model_validate(first_page)
    assert [d["id"] for d in first_page["data"]] == everything[:2]
    assert first_page["data"][0]["event_type"] == "post.scheduled"
    last_page = client.get(
        f"/v1/webhooks/{created.id}/deliveries", params={"limit": 2, "cursor": first_page["next_cursor"]}
    ).json()
    assert "next_cursor" not in last_page
    scheduled = sdk.webhooks.list_deliveries(created.id, event_type="post.scheduled").data
    assert [d.description.split()[0] for d in scheduled] == ["post.scheduled"]
    assert len(sdk.webhooks.list_deliveries(created.id, status="delivered").data) == 4
    detail = client.get(f"/v1/webhooks/{created.id}/deliveries/{everything[0]}").json()
    DeliveryDetailOut.model_validate(detail)
    WebhookDetailOut.model_validate(client.get(f"/v1/webhooks/{created.id}").json())


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "x"}, {"status": "lost"}, {"cursor": "whd_nope"}])
def test_bad_delivery_queries_are_a_400(client: httpx.Client, sdk: SocialAPI, params: dict[str, str]) -> None:
    created = sdk.webhooks.create(url="https://hooks.example.com/x", events=["post.published"])
    response = client.get(f"/v1/webhooks/{created.id}/deliveries", params=params)
    assert response.status_code == 400


def test_a_scheduled_post_delivers_when_the_clock_fires_it(
    sdk: SocialAPI, client: httpx.Client, receiver: Receiver
) -> None:
    sdk.webhooks.create(url=receiver.url, events=["post.scheduled", "post.published"])
    post = sdk.publishing.create(text="Tomorrow", scheduled_at="2026-01-02T09:00:00Z", targets=[target("linkedin")])
    scheduled = receiver.next()
    assert scheduled.json["data"] == {
        "post_id": post.id,
        "status": "scheduled",
        "scheduled_at": "2026-01-02T09:00:00Z",
        "targets": [{"account_id": target("linkedin")["account_id"], "platform": "linkedin"}],
    }
    advance(client, 2 * 86400)
    published = receiver.next()
    assert published.headers["X-SocialAPI-Event"] == "post.published"
    # Signed with the time of the event, which the fake clock fixed at the scheduled instant.
    assert published.headers["X-SocialAPI-Timestamp"] == str(int(datetime(2026, 1, 2, 9, tzinfo=UTC).timestamp()))
    flush(client)


def test_endpoints_belong_to_their_tenant(server: MockServer, sdk: SocialAPI, receiver: Receiver) -> None:
    sdk.webhooks.create(url=receiver.url, events=["post.published"])
    other_key = "sapi_key_someone_else"
    headers = {"Authorization": f"Bearer {other_key}"}
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=headers) as other:
        other_sdk = SocialAPI(api_key=other_key, base_url="http://mock", max_retries=0, http_client=other)
        assert other_sdk.webhooks.list() == []
        publish(other_sdk)
        assert flush(other)["delivered"] == 0
    receiver.assert_silent()


def test_reset_forgets_endpoints(sdk: SocialAPI, client: httpx.Client) -> None:
    sdk.webhooks.create(url="https://hooks.example.com/x", events=["post.published"])
    client.post("/_mock/reset")
    assert sdk.webhooks.list() == []


def test_webhooks_need_an_api_key(server: MockServer) -> None:
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as anonymous:
        assert anonymous.get("/v1/webhooks").status_code == 401
        assert anonymous.post("/_mock/webhooks/flush").status_code == 401


def test_a_live_server_delivers_and_its_ticker_catches_events_no_request_kicked(receiver: Receiver) -> None:
    mock = MockServer()
    with ThreadedServer(mock) as live:
        sdk = SocialAPI(api_key=API_KEY, base_url=live.url, max_retries=0)
        try:
            created = sdk.webhooks.create(url=receiver.url, events=["post.published", "post.failed"])
            publish(sdk)
            assert receiver.next().json["event"] == "post.published"
            # An event recorded on the backend directly: no response follows it, the ticker sends it.
            backend = mock.tenant(API_KEY)
            backend.tenant.record_event(PostDelivered("p_direct", "failed", ()), backend.now())
            got = receiver.next()
            assert got.json == {
                "event": "post.failed",
                "data": {"post_id": "p_direct", "status": "failed", "results": []},
            }
            deadline = time.monotonic() + WAIT
            while backend.webhooks.delivery_summary().delivered < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert sdk.webhooks.get(created.id).stats.last_24h.delivered == 2
        finally:
            sdk.close()


@pytest.mark.asyncio
async def test_the_async_sdk_over_asgi_transport_gets_deliveries_too(server: MockServer, receiver: Receiver) -> None:
    # httpx.ASGITransport runs no lifespan: the kick after each response is what sends.
    transport = httpx.ASGITransport(app=server.app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://mock", headers={"Authorization": f"Bearer {API_KEY}"}
    ) as http:
        sdk = socialapi.AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
        created = await sdk.webhooks.create(url=receiver.url, events=["post.published"])
        await sdk.publishing.create(text="Async roast", publish_now=True, targets=[target("facebook")])
        assert (await http.post("/_mock/webhooks/flush")).json()["delivered"] == 1
        got = await asyncio.to_thread(receiver.next)
        assert verify_signature(secret=created.secret, payload=got.body, signature=got.headers["X-SocialAPI-Signature"])
