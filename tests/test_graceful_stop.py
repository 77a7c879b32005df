"""Graceful stop (issue 14, item 7): on SIGTERM ``/_mock/ready`` turns 503, requests in flight finish,
the state file is saved and the process exits 0 within a bounded time.

The stop sequence itself is harden's (``serve._Uvicorn``); these tests watch it from outside.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import httpx

from mockserver import MockServer
from mockserver.serve import ThreadedServer
from mockserver.testing import sync_transport
from tests.test_serve_process import serve

SLOW_ACCOUNTS = {
    "name": "slow-accounts",
    "description": "GET /v1/accounts takes 3 s",
    "requests": [{"match": {"method": "GET", "path": "/v1/accounts"}, "latency_ms": 3000}],
}
AUTH = {"Authorization": "Bearer sapi_key_graceful"}


def in_flight(url: str, control: httpx.Client) -> tuple[threading.Thread, dict[str, int]]:
    """A slow request on its own connection; its status lands in the dict when it completes.

    Returns once the mock holds the request: the latency rule has fired and is sleeping it out.
    """
    answered: dict[str, int] = {}

    def call() -> None:
        answered["status"] = httpx.get(f"{url}/v1/accounts", headers=AUTH, timeout=60).status_code

    thread = threading.Thread(target=call)
    thread.start()
    deadline = time.monotonic() + 30
    while control.get("/_mock/scenarios").json()["data"][0]["requests"][0]["fired"] == 0:
        assert time.monotonic() < deadline, "the slow request never reached the mock"
        time.sleep(0.02)
    return thread, answered


def test_a_stop_signal_turns_ready_503_while_the_request_in_flight_finishes() -> None:
    server = MockServer()
    live = ThreadedServer(server).start()
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as control:
        control.put("/_mock/scenarios", json=SLOW_ACCOUNTS)
        thread, answered = in_flight(live.url, control)

    live._uvicorn.handle_exit(signal.SIGTERM, None)  # what uvicorn's SIGTERM handler calls
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as probe:
        ready = probe.get("/_mock/ready")
        health = probe.get("/_mock/health")
    assert (ready.status_code, ready.json()["status"]) == (503, "stopping")
    assert health.status_code == 200

    thread.join(10)
    assert answered == {"status": 200}, "the request in flight was cut off"
    live._thread.join(10)
    assert not live._thread.is_alive(), "the server did not stop"


def test_sigterm_finishes_the_request_in_flight_saves_and_exits_0_in_bounded_time(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    with serve(tmp_path, "--quiet", "--state-file", str(state_file), "--shutdown-timeout", "5") as served:
        with httpx.Client(base_url=served.url, headers=AUTH, timeout=30) as http:
            post = http.post("/v1/posts", json={"text": "saved on stop"}).json()["id"]
            http.put("/_mock/scenarios", json=SLOW_ACCOUNTS)
            thread, answered = in_flight(served.url, http)
        started = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        served.process.wait(20)
        took = time.monotonic() - started
        thread.join(10)
    assert served.process.returncode == 0, served.stderr()
    assert answered == {"status": 200}, "the request in flight was cut off"
    assert took < 5 + 5, took  # the shutdown timeout, plus the save and the interpreter's exit
    saved = json.loads(state_file.read_text())
    assert [p["id"] for p in saved["tenants"]["sapi_key_graceful"]["state"]["posts"]["posts"]] == [post]
