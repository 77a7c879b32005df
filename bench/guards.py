"""Issue 21 figures: verify and path-template matching on a full journal of 10,000 entries, with the
worst inputs the caps accept, in-process; for each, the whole call and the longest stretch in which
it held the event loop (what another tenant waits at most).

    .venv/bin/python bench/guards.py             # about a minute; prints the table
    .venv/bin/python bench/guards.py --entries 2000

The worst accepted verify expectation has 64 members (the cap), every one of them found in every
body (so no body is skipped by the text search) and two values that differ from every entry (so
every body is parsed and compared, and the nearest misses are searched through the whole journal).
The worst template has 16 parameters (the cap) separated by one character that the paths repeat,
against 10,000 distinct paths whose segment that separator fills.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mockserver import MockServer, Settings  # noqa: E402
from mockserver.core.journal import JournalEntry  # noqa: E402
from mockserver.core.paths import MAX_PATH_PARAMS, PathPattern  # noqa: E402
from mockserver.core.verification_caps import MAX_EXPECTED_JSON_MEMBERS  # noqa: E402

KEY = "sapi_key_bench_guards"
MEMBERS = [f"k{n:02d}" for n in range(MAX_EXPECTED_JSON_MEMBERS)]
TEMPLATE = "/v1/" + "x".join(f"{{p{n}}}" for n in range(MAX_PATH_PARAMS - 1)) + "/{n}"


def journal_path(n: int) -> str:
    return "/v1/" + "x" * 60 + f"/{n}"


def full_server(entries: int) -> MockServer:
    """A tenant whose journal holds ``entries`` entries of about 4 KiB bodies with every member."""
    server = MockServer(Settings(journal_size=entries))
    backend = server.tenant(KEY)
    for n in range(entries):
        body = {**dict.fromkeys(MEMBERS, "v"), MEMBERS[0]: n, MEMBERS[1]: n}
        body["pad"] = "p" * (4000 - len(json.dumps(body)))
        raw = json.dumps(body, separators=(",", ":")).encode()
        backend.state.journal.append(
            JournalEntry.record("POST", journal_path(n), b"", 201, raw, f"r{n}", backend.now())
        )
    return server


async def held(
    call: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]], server: MockServer
) -> tuple[int, float, float]:
    """(status, the call's milliseconds, the longest stretch in milliseconds the loop ran nothing else)."""
    transport = httpx.ASGITransport(app=server.app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://mock", headers={"Authorization": f"Bearer {KEY}"}
    ) as http:
        started = time.perf_counter()
        pending = asyncio.create_task(call(http))
        longest = 0.0
        last = time.perf_counter()
        while not pending.done():
            await asyncio.sleep(0)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now
        response = await pending
        return response.status_code, (time.perf_counter() - started) * 1000, longest * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    server = full_server(args.entries)
    wanted = {**dict.fromkeys(MEMBERS, "v"), MEMBERS[0]: -1, MEMBERS[1]: -1}

    async def verify(http: httpx.AsyncClient) -> httpx.Response:
        return await http.post("/_mock/verify", json={"requests": {"json": wanted}})

    async def listing(http: httpx.AsyncClient) -> httpx.Response:
        return await http.get("/_mock/requests", params={"path": TEMPLATE, "limit": 1})

    rows = []
    for label, call in (
        (f"POST /_mock/verify, {MAX_EXPECTED_JSON_MEMBERS}-member json (all parsed, nearest misses)", verify),
        (f"GET /_mock/requests?path= template of {MAX_PATH_PARAMS} parameters", listing),
    ):
        status, took, longest = asyncio.run(held(call, server))
        rows.append((label, status, took, longest))
    pattern = PathPattern(TEMPLATE)
    paths = [journal_path(n) for n in range(args.entries)]
    started = time.perf_counter()
    matched = sum(pattern.matches(path) for path in paths)
    per_path = (time.perf_counter() - started) / len(paths) * 1e6

    print(f"| call over a {args.entries:,}-entry journal | status | whole call | longest hold of the event loop |")
    print("|---|---|---|---|")
    for label, status, took, longest in rows:
        print(f"| {label} | {status} | {took:,.0f} ms | {longest:.1f} ms |")
    print(f"\nTemplate match alone: {per_path:.1f} µs per path ({matched:,} of {len(paths):,} matched)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
