"""``/_mock/health`` and ``/_mock/ready``: probes that need no key or token, and the 503s of a starting server."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from mockserver import MockServer, Settings, __version__
from mockserver.api.state import load_state_file, save_state_file
from mockserver.serve import ThreadedServer
from mockserver.testing import sync_transport
from tests.conftest import AUTH


def bare_client(server: MockServer) -> httpx.Client:
    return httpx.Client(transport=sync_transport(server.app), base_url="http://mock")


@pytest.mark.parametrize("token", [None, "secret"], ids=["no-token", "control-token"])
def test_health_and_ready_answer_without_a_key_or_token(token: str | None) -> None:
    with bare_client(MockServer(Settings(control_token=token))) as http:
        health = http.get("/_mock/health")
        ready = http.get("/_mock/ready")
    assert (health.status_code, health.json()) == (200, {"status": "ok", "version": __version__})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready", "version": __version__})
    assert health.headers["cache-control"] == "no-store"


def test_probes_do_not_shift_the_ids_of_anonymous_errors() -> None:
    def first_anonymous_id(poll: bool) -> str:
        with bare_client(MockServer()) as http:
            if poll:
                for _ in range(3):
                    http.get("/_mock/ready")
            return str(http.get("/v1/posts").json()["request_id"])

    assert first_anonymous_id(poll=True) == first_anonymous_id(poll=False)


def test_a_server_with_a_pending_startup_step_is_not_ready_and_refuses_the_api() -> None:
    server = MockServer()
    server.defer(lambda: None)
    with bare_client(server) as http:
        assert http.get("/_mock/health").status_code == 200
        ready = http.get("/_mock/ready")
        assert (ready.status_code, ready.json()["status"]) == (503, "starting")
        refused = http.get("/v1/posts", headers=AUTH)
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "mock.starting"
        assert refused.headers["retry-after"] == "1"
        assert http.get("/_mock/clock", headers=AUTH).status_code == 503
        server.finish_startup()
        assert http.get("/_mock/ready").status_code == 200
        assert http.get("/v1/posts", headers=AUTH).status_code == 200


def test_a_stopping_server_is_not_ready_but_still_serves_requests_in_flight() -> None:
    server = MockServer()
    with bare_client(server) as http:
        server.mark_stopping()
        ready = http.get("/_mock/ready")
        assert (ready.status_code, ready.json()["status"]) == (503, "stopping")
        assert http.get("/_mock/health").status_code == 200
        assert http.get("/v1/posts", headers=AUTH).status_code == 200


def test_ready_is_503_over_http_until_a_slow_state_load_finishes(tmp_path: Path) -> None:
    saved = MockServer()
    with httpx.Client(transport=sync_transport(saved.app), base_url="http://mock", headers=AUTH) as http:
        assert http.post("/v1/posts", json={"text": "kept"}).status_code == 201
    state_file = tmp_path / "state.json"
    save_state_file(saved, state_file)

    server = MockServer()
    release = threading.Event()
    server.defer(lambda: (release.wait(10), load_state_file(server, state_file)))
    with ThreadedServer(server) as live, httpx.Client(base_url=live.url, timeout=5) as http:
        assert http.get("/_mock/health").status_code == 200
        assert http.get("/_mock/ready").json()["status"] == "starting"
        assert http.get("/v1/posts", headers=AUTH).status_code == 503
        release.set()
        _wait_until_ready(http)
        posts = http.get("/v1/posts", headers=AUTH).json()["data"]
    assert [post["text"] for post in posts] == ["kept"]


def _wait_until_ready(http: httpx.Client) -> None:
    for _ in range(500):
        if http.get("/_mock/ready").status_code == 200:
            return
        threading.Event().wait(0.01)
    raise AssertionError("the server never became ready")
