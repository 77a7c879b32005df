"""Issue 21, work budgets: what a verify expectation or a journal filter may ask for is capped (400
past the caps), and a verify over a full journal runs in slices, so other tenants keep being served."""

from __future__ import annotations

import asyncio
import json
import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.core.journal import JournalEntry
from mockserver.core.verification_caps import (
    MAX_EXPECTED_JSON_BYTES,
    MAX_EXPECTED_JSON_DEPTH,
    MAX_EXPECTED_JSON_MEMBERS,
    MAX_EXPECTED_QUERY_FIELDS,
    MAX_EXPECTED_TEXT,
)
from mockserver.loading.scenarios import MAX_ITEMS
from tests.robustness.helpers import client
from tests.robustness.test_hostile_input import assert_envelope, nested
from tests.test_serve_process import serve

KEY = "sapi_key_budgets"


@pytest.fixture
def http(server: MockServer) -> httpx.Client:
    return client(server, KEY)


def flat(members: int) -> dict[str, Any]:
    return {f"k{n}": n for n in range(members)}


@pytest.mark.parametrize(
    ("expectation", "field", "words"),
    [
        ({"requests": {"json": flat(MAX_EXPECTED_JSON_MEMBERS + 1)}}, "requests.json", "keys and list items"),
        ({"requests": {"json": [list(range(40))] * 2}}, "requests.json", "keys and list items"),
        ({"requests": {"json": nested(MAX_EXPECTED_JSON_DEPTH + 1)}}, "requests.json", "nests deeper"),
        ({"requests": {"json": {"t": "x" * MAX_EXPECTED_JSON_BYTES}}}, "requests.json", "bytes as JSON"),
        ({"requests": {"query": {f"q{n}": "v" for n in range(MAX_EXPECTED_QUERY_FIELDS + 1)}}}, "requests.query", ""),
        ({"requests": {"query": {"q": "v" * (MAX_EXPECTED_TEXT + 1)}}}, "requests.query", "characters"),
        ({"requests": {"method": "G" * 17}}, "requests.method", ""),
        ({"deliveries": {"text_contains": "x" * (MAX_EXPECTED_TEXT + 1)}}, "deliveries.text_contains", ""),
    ],
    ids=["members", "list-items", "depth", "bytes", "query-fields", "query-value", "method", "text-contains"],
)
def test_a_verify_expectation_past_its_caps_is_a_400_naming_the_field(
    http: httpx.Client, expectation: dict[str, Any], field: str, words: str
) -> None:
    error = assert_envelope(http.post("/_mock/verify", json=expectation), 400, "validation.field_invalid")
    assert error["meta"]["field"] == field
    assert words in error["message"]


def test_the_largest_accepted_expectation_is_answered(http: httpx.Client) -> None:
    http.post("/v1/posts", json=flat(MAX_EXPECTED_JSON_MEMBERS))
    verified = http.post("/_mock/verify", json={"requests": {"json": flat(MAX_EXPECTED_JSON_MEMBERS)}, "count": 1})
    assert verified.json() == {"matched": 1}


@pytest.mark.parametrize(
    ("query", "field"),
    [({"method": "G" * 17}, "method"), ({"request_id": "r" * 201}, "request_id"), ({"path": "/" + "a" * 2048}, "path")],
)
def test_a_journal_filter_past_its_caps_is_a_400(http: httpx.Client, query: dict[str, str], field: str) -> None:
    error = assert_envelope(http.get("/_mock/requests", params=query), 400, "validation.field_invalid")
    assert error["meta"]["field"] == field


def loop_gaps_during(server: MockServer, method: str, path: str, **kwargs: Any) -> tuple[httpx.Response, list[float]]:
    """The answer to one call, and the gaps between the turns the event loop gave another task meanwhile."""

    async def measure() -> tuple[httpx.Response, list[float]]:
        gaps: list[float] = []
        transport = httpx.ASGITransport(app=server.app)
        headers = {"Authorization": f"Bearer {KEY}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://mock", headers=headers) as http:
            call = asyncio.create_task(http.request(method, path, **kwargs))
            last = time.perf_counter()
            while not call.done():
                await asyncio.sleep(0)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now
            return await call, gaps

    return asyncio.run(measure())


def test_a_verify_over_a_full_journal_leaves_the_event_loop_to_others_between_slices() -> None:
    """The costliest accepted expectation (every member found in every body, two values differing, so
    every body is parsed and compared twice) over 1,500 entries: without slices that is one stretch of
    most of a second in which no other request is served."""
    entries = 1500
    server = MockServer(Settings(journal_size=entries))
    backend = server.tenant(KEY)
    wanted = {f"k{n}": "v" for n in range(MAX_EXPECTED_JSON_MEMBERS)}
    for n in range(entries):
        body = {**wanted, "k0": n, "k1": n, "pad": "p" * 3000}
        raw = json.dumps(body, separators=(",", ":")).encode()
        backend.state.journal.append(JournalEntry.record("POST", f"/v1/x/{n}", b"", 201, raw, f"r{n}", backend.now()))
    expectation = {"requests": {"json": {**wanted, "k0": -1, "k1": -1}}}
    answer, gaps = loop_gaps_during(server, "POST", "/_mock/verify", json=expectation)
    assert answer.status_code == 409
    assert len(gaps) > 10, "the loop served nothing else while verify ran"
    # Relative to the call, not a fixed ceiling: a loaded machine stalls any thread now and then.
    assert max(gaps) < sum(gaps) / 2, f"the loop was held {max(gaps) * 1000:.0f} of {sum(gaps) * 1000:.0f} ms"


def test_sigterm_during_the_costliest_verify_is_handled_within_the_shutdown_timeout_and_saves(
    tmp_path: Path,
) -> None:
    """Issue 21's row: a verify holding the loop kept SIGTERM waiting past the supervisor's patience,
    and the state file was never written. In slices, the stop waits ``--shutdown-timeout`` at most."""
    entries = 20_000
    state_file = tmp_path / "state.json"
    wanted = {f"k{n}": "v" for n in range(MAX_EXPECTED_JSON_MEMBERS)}
    body = json.dumps({**wanted, "k0": 0, "k1": 0}, separators=(",", ":"))
    options = ("--quiet", "--state-file", str(state_file), "--shutdown-timeout", "1", "--journal-size", str(entries))
    with serve(tmp_path, *options) as served, httpx.Client(base_url=served.url, timeout=120) as http:
        auth = {"Authorization": f"Bearer {KEY}"}
        document = http.get("/_mock/state", headers=auth).json()
        entry = {
            "method": "POST", "path": "/v1/x", "query_string": "", "status": 201, "body": body,
            "request_id": "r", "at": "2026-01-01T00:00:00Z", "body_size": len(body), "body_truncated": False,
            "response": "", "response_size": 0, "response_truncated": False, "latency_ms": 0, "warnings": [],
        }  # fmt: skip
        document["state"]["journal"] = [{**entry, "request_id": f"r{n}"} for n in range(entries)]
        assert http.put("/_mock/state", json=document, headers=auth).status_code == 200
        expectation = {"requests": {"json": {**wanted, "k0": -1, "k1": -1}}}
        verifying = threading.Thread(
            target=lambda: httpx.post(f"{served.url}/_mock/verify", json=expectation, headers=auth, timeout=120),
            daemon=True,
        )
        verifying.start()
        time.sleep(0.5)  # the verify is under way (it takes seconds)
        started = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        served.process.wait(60)
        took = time.monotonic() - started
    assert served.process.returncode == 0, served.stderr()
    assert took < 1 + 5, f"SIGTERM took {took:.1f} s"  # the shutdown timeout, plus the save and the exit
    saved = json.loads(state_file.read_text())
    assert len(saved["tenants"][KEY]["state"]["journal"]) == entries


def test_a_large_yaml_scenario_is_parsed_off_the_event_loop(server: MockServer) -> None:
    """The YAML parser is pure Python: 5,000 list items take most of a second, which held every tenant."""
    document = b"name: big\ndescription: d\nrequests:\n" + b"  - 1\n" * 5_000
    answer, gaps = loop_gaps_during(
        server, "PUT", "/_mock/scenarios", content=document, headers={"Content-Type": "application/yaml"}
    )
    assert answer.status_code == 400  # the items are not rules; parsing them is what takes the time
    assert len(gaps) > 10, "the loop served nothing else while the YAML was parsed"
    # Relative to the call, not a fixed ceiling: a loaded machine stalls any thread now and then.
    assert max(gaps) < sum(gaps) / 2, f"the loop was held {max(gaps) * 1000:.0f} of {sum(gaps) * 1000:.0f} ms"


def test_a_scenario_document_with_too_many_lines_and_items_is_refused_before_parsing(http: httpx.Client) -> None:
    document = b"name: big\ndescription: d\nrequests: [" + b"1," * (MAX_ITEMS + 1) + b"1]\n"
    refused = http.put("/_mock/scenarios", content=document, headers={"Content-Type": "application/yaml"})
    error = assert_envelope(refused, 400, "validation.field_invalid")
    assert error["meta"] == {"field": "body", "limit": MAX_ITEMS}
