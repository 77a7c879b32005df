"""Shared pieces of the robustness tests: the route tables, seeded tenants and state fingerprints."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from mockserver import MockServer
from mockserver.api.app import CONTROL, PUBLIC
from mockserver.core.backend import PublishingBackend
from mockserver.core.snapshot import export_state
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, IMAGE

ROUTES: list[tuple[str, str, Any, bool]] = [(m, p, h, False) for m, p, h in PUBLIC] + [
    (m, p, h, True) for m, p, h in CONTROL
]
ROUTE_IDS = [f"{m} {p}" for m, p, _, _ in ROUTES]
PATH_PARAM = re.compile(r"{([^}:]+)}")


def client(server: MockServer, key: str, **headers: str) -> httpx.Client:
    return httpx.Client(
        transport=sync_transport(server.app),
        base_url="http://mock",
        headers={"Authorization": f"Bearer {key}", **headers},
    )


def seed_posts(http: httpx.Client) -> dict[str, str]:
    """A draft, a scheduled, a published and a failed-free partial mix: one post of each common status."""
    linkedin = [{"account_id": ACCOUNTS["linkedin"]}]
    bodies = {
        "draft": {"text": "a draft", "targets": linkedin},
        "scheduled": {"text": "later", "targets": linkedin, "scheduled_at": "2026-01-02T09:00:00Z"},
        "published": {"text": "now", "targets": linkedin, "publish_now": True},
        "media": {"text": "with media", "targets": linkedin, "media_ids": [IMAGE]},
    }
    ids = {}
    for name, body in bodies.items():
        response = http.post("/v1/posts", json=body)
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    return ids


def fingerprint(backend: PublishingBackend) -> dict[str, Any]:
    """Everything a tenant holds, minus what every request touches by design: its journal line, id and key's use."""
    state = export_state(backend.tenant)
    del state["state"]["journal"], state["state"]["request_ids"]
    for key in state["state"]["team"]["api_keys"]:
        del key["last_used_at"]
    return state


def fill(path: str, values: dict[str, str]) -> str:
    return PATH_PARAM.sub(lambda m: values.get(m.group(1), "x"), path)


ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serving_process(*options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``socialapi-mock serve`` in a subprocess, answering at the yielded URL; killed if still running.

    The server picks its own port and writes it to a file: a port picked here and bound there could
    be taken in between by another worker's server, and the test would then talk to that one.
    """
    with tempfile.TemporaryDirectory() as scratch:
        port_file = Path(scratch) / "mock.port"
        command = [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--port-file", str(port_file)]
        process = subprocess.Popen(
            [*command, *options], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        try:
            deadline = time.monotonic() + 20
            while not port_file.exists() or not port_file.read_text():
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.05)
            url = f"http://127.0.0.1:{int(port_file.read_text())}"
            # Listening comes before ready: a state file is loaded once the port is open.
            while httpx.get(f"{url}/_mock/ready").status_code != 200:
                assert time.monotonic() < deadline, "the server did not become ready"
                time.sleep(0.05)
            yield url, process
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
