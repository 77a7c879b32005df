"""Webhook sinks: the mock receives its own webhooks, checks their signatures and can fail or stall on purpose."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.client import LiveServer, TenantHandle
from mockserver.serve import ThreadedServer
from mockserver.testing import sync_transport
from mockserver.webhook_sender import WebhookSender
from tests.conftest import AUTH, target


@pytest.fixture
def client(server: MockServer) -> Iterator[httpx.Client]:
    """On a .test host, which the mock delivers webhooks to in-process (as for the pytest handle)."""
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock.test", headers=AUTH) as http:
        yield http


def publish(client: httpx.Client, text: str = "hi") -> None:
    response = client.post("/v1/posts", json={"text": text, "publish_now": True, "targets": [target("linkedin")]})
    assert response.status_code == 201, response.text


def hooked_sink(client: httpx.Client, **sink: Any) -> dict[str, Any]:
    created = client.post("/_mock/sinks", json=sink)
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    hook = client.post("/v1/webhooks", json={"url": body["url"], "events": ["post.published"]}).json()
    body["webhook_id"] = hook["id"]
    body["secret"] = hook["secret"]
    return body


def received(client: httpx.Client, name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.get(f"/_mock/sinks/{name}").json()["received"]
    return data


def test_a_sink_receives_signed_deliveries_in_process(client: httpx.Client) -> None:
    sink = hooked_sink(client, name="orders")
    assert sink["url"] == "http://mock.test/_mock/sinks/orders"
    publish(client)
    client.post("/_mock/webhooks/flush")
    [delivery] = received(client, "orders")
    assert delivery["body"]["event"] == "post.published"
    assert delivery["headers"]["x-socialapi-event"] == "post.published"
    assert delivery["webhook_id"] == sink["webhook_id"]
    assert delivery["signature_valid"] and delivery["signature_v2_valid"] and delivery["timestamp_within_tolerance"]
    assert delivery["answered"] == 200
    # The delivery is recorded as delivered on the webhook side too.
    [attempt] = client.get(f"/v1/webhooks/{sink['webhook_id']}/deliveries").json()["data"]
    assert attempt["status"] == "delivered"


def test_a_tampered_body_or_a_stale_timestamp_does_not_verify(client: httpx.Client) -> None:
    sink = hooked_sink(client, name="tamper")
    publish(client)
    client.post("/_mock/webhooks/flush")
    [genuine] = received(client, "tamper")
    headers = {k: v for k, v in genuine["headers"].items() if k.startswith("x-socialapi")}
    body = httpx.Request("POST", "/", json=genuine["body"]).content
    assert (
        client.post("/_mock/sinks/tamper", content=body.replace(b"published", b"failed"), headers=headers).status_code
        == 200
    )
    stale = {**headers, "x-socialapi-timestamp": str(int(headers["x-socialapi-timestamp"]) - 301)}
    client.post("/_mock/sinks/tamper", content=body, headers=stale)
    _, tampered, old = received(client, "tamper")
    assert (tampered["signature_valid"], tampered["signature_v2_valid"]) == (False, False)
    # v1 does not cover the timestamp; v2 does, and the timestamp is outside the tolerance anyway.
    assert (old["signature_valid"], old["signature_v2_valid"], old["timestamp_within_tolerance"]) == (
        True,
        False,
        False,
    )
    assert sink["secret"].startswith("whsec_")


def test_a_sink_told_to_fail_gets_the_retries_on_the_fake_clock(client: httpx.Client) -> None:
    sink = hooked_sink(client, name="flaky", status=500)
    publish(client)
    client.post("/_mock/webhooks/flush")
    assert [r["answered"] for r in received(client, "flaky")] == [500]
    client.post("/_mock/sinks", json={"name": "flaky", "status": 200})
    client.post("/_mock/clock/advance", json={"seconds": 29})
    client.post("/_mock/webhooks/flush")
    assert len(received(client, "flaky")) == 1
    client.post("/_mock/clock/advance", json={"seconds": 1})
    client.post("/_mock/webhooks/flush")
    first, retry = received(client, "flaky")
    assert retry["answered"] == 200 and retry["at"] == "2026-01-01T00:00:30Z"
    assert retry["headers"]["x-socialapi-delivery"] == first["headers"]["x-socialapi-delivery"]
    attempts = client.get(f"/v1/webhooks/{sink['webhook_id']}/deliveries").json()["data"][0]
    assert attempts["status"] == "delivered"


def test_a_slow_sink_past_the_senders_timeout_is_a_failed_attempt() -> None:
    server = MockServer(Settings())
    server.__dict__["webhook_sender"] = WebhookSender(server, timeout=0.2)
    with TenantHandle.in_process(server, "sapi_key_slow") as mock:
        sink = mock.webhook_sink("slow", delay_ms=1000)
        mock.http.post("/v1/webhooks", json={"url": sink.url, "events": ["post.published"]})
        publish(mock.http)
        mock.flush_webhooks()
        [delivery] = mock.http.get("/v1/webhooks").json()["data"]
        [attempt] = mock.http.get(f"/v1/webhooks/{delivery['id']}/deliveries").json()["data"]
        assert attempt["status"] == "pending"
        assert "Timeout" in mock.http.get(f"/v1/webhooks/{delivery['id']}/deliveries/{attempt['id']}").text
        assert len(sink.received) == 1


def test_the_handle_sink_in_process(client: httpx.Client) -> None:
    server = MockServer(Settings())
    with TenantHandle.in_process(server, "sapi_key_handle") as mock:
        sink = mock.webhook_sink()
        assert sink.url.startswith("http://socialapi-mock.test/_mock/sinks/sink-")
        mock.sdk().webhooks.create(url=sink.url, events=["post.published"])
        publish(mock.http)
        mock.flush_webhooks()
        [delivery] = sink.received
        assert delivery["signature_valid"]


def test_delivery_to_the_live_servers_own_sink_does_not_deadlock() -> None:
    live = LiveServer(ThreadedServer(MockServer()).start())
    try:
        deliver_to_own_sink(live)
    finally:
        live.close()


def deliver_to_own_sink(live: LiveServer) -> None:
    mock = live.tenant("sapi_key_live_sink")
    sink = mock.webhook_sink("live-orders")
    assert sink.url == f"{live.url}/_mock/sinks/live-orders"
    mock.sdk().webhooks.create(url=sink.url, events=["post.published"])
    for n in range(3):
        publish(mock.http, f"live {n}")
    summary = mock.flush_webhooks()
    assert summary["delivered"] == 3
    assert [r["body"]["data"]["status"] for r in sink.received] == ["published"] * 3
    assert all(r["signature_valid"] and r["signature_v2_valid"] for r in sink.received)


def test_a_sink_name_belongs_to_one_tenant(server: MockServer, client: httpx.Client) -> None:
    client.post("/_mock/sinks", json={"name": "shared"})
    with TenantHandle.in_process(server, "sapi_key_other") as other:
        taken = other.http.post("/_mock/sinks", json={"name": "shared"})
        assert (taken.status_code, taken.json()["error"]["code"]) == (409, "mock.sink_taken")
        assert other.http.get("/_mock/sinks/shared").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "has space"}, "name"),
        ({"status": 100}, "status"),
        ({"delay_ms": -1}, "delay_ms"),
        ({"nme": "x"}, "nme"),
    ],
)
def test_bad_sinks_are_a_400(client: httpx.Client, body: dict[str, Any], field: str) -> None:
    response = client.post("/_mock/sinks", json=body)
    assert response.status_code == 400 and response.json()["error"]["meta"]["field"] == field


def test_posting_to_an_unknown_sink_is_a_404_in_the_envelope(client: httpx.Client) -> None:
    response = client.post("/_mock/sinks/nobody", content=b"{}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "sink.not_found"
