"""The sink receiver finds its tenant through an index of sink names, not by asking every tenant."""

from __future__ import annotations

import httpx
import pytest

from mockserver import MockServer
from mockserver.testing import sync_transport


def test_the_receiver_finds_the_sink_without_asking_every_tenant(
    server: MockServer, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        server.tenant(f"sapi_key_other_{n}")
    assert client.post("/_mock/sinks", json={"name": "orders"}).status_code == 201

    def no_scan() -> list[object]:
        raise AssertionError("the sink receiver asked every tenant")

    monkeypatch.setattr(server, "tenants", no_scan)
    assert client.post("/_mock/sinks/orders", json={"event": "post.published"}).status_code == 200
    assert client.post("/_mock/sinks/nobody", json={}).status_code == 404
    assert len(client.get("/_mock/sinks/orders").json()["received"]) == 1


def test_a_reset_frees_the_sink_name_for_another_tenant(server: MockServer, client: httpx.Client) -> None:
    assert client.post("/_mock/sinks", json={"name": "shared-name"}).status_code == 201
    other = httpx.Client(
        transport=sync_transport(server.app), base_url="http://mock", headers={"Authorization": "Bearer sapi_key_b"}
    )
    assert other.post("/_mock/sinks", json={"name": "shared-name"}).status_code == 409
    client.post("/_mock/reset")
    assert client.post("/_mock/sinks/shared-name", json={}).status_code == 404
    assert other.post("/_mock/sinks", json={"name": "shared-name"}).status_code == 201
    assert other.post("/_mock/sinks/shared-name", json={}).status_code == 200
    assert len(other.get("/_mock/sinks/shared-name").json()["received"]) == 1
