"""Handlers the route table names ``deferred(...)`` are imported on their route's first request, not at start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mockserver.api.app import CONTROL, LATER, PUBLIC, SERVER
from mockserver.api.spec import Deferred, operation_of

ROOT = Path(__file__).resolve().parents[2]
DEFERRED = [handler for _, _, handler in [*PUBLIC, *LATER, *CONTROL, *SERVER] if isinstance(handler, Deferred)]

# Started in a fresh interpreter: this test process has imported every module already.
FIRST_USE = """
import sys
import httpx
import mockserver.serve
from mockserver import MockServer
from mockserver.testing import sync_transport

modules = {m.rsplit(".", 1)[-1] for m in sys.modules if m.startswith("mockserver.api.")}
print(sorted(modules & set(sys.argv[1:])))
with httpx.Client(transport=sync_transport(MockServer().app), base_url="http://mock") as http:
    answer = http.get("/v1/inbox/conversations", headers={"Authorization": "Bearer sapi_key_first"})
print(answer.status_code, "mockserver.api.inbox" in sys.modules)
"""


def test_every_deferred_handler_names_a_handler_with_its_operation() -> None:
    # A misspelt name would otherwise surface only as a 500 on the route's first request.
    assert len(DEFERRED) > 50
    for handler in DEFERRED:
        assert callable(handler.resolve()), handler
    tenant_routes = [h for _, _, h in [*PUBLIC, *LATER, *CONTROL] if isinstance(h, Deferred)]
    assert [h for h in tenant_routes if operation_of(h) is None] == []


def test_starting_imports_no_deferred_handler_and_the_first_request_imports_its_module() -> None:
    modules = sorted({handler.module for handler in DEFERRED})
    assert "inbox" in modules
    run = subprocess.run(
        [sys.executable, "-P", "-c", FIRST_USE, *modules],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        timeout=60,
        check=True,
    )
    imported_at_start, first_request = run.stdout.splitlines()
    assert imported_at_start == "[]"
    assert first_request == "200 True"
