"""What the 2026-10-02 limits' bookkeeping costs a create: switches on but far from the limits vs off.

Two in-process servers of the newest generation, one with the request rate limit and the velocity
caps on and one with both off, take the same creates, alternating request by request (so the machine's
drift falls on both), in one thread and one event loop. An A/A row (both off) shows the noise floor.
The clock moves a day every ``--every`` creates (outside the timing) on both, so the limits are on
but never near: each publish target sees at most that many publishes per window, each request
bucket at most that many requests. Two kinds of create: a draft (only the request budget counts it)
and ``publish_now`` to two targets (the velocity caps count it too; synchronous publish).

Two paths, each figure the ratio of median create times off / on (= throughput on / off):

- through httpx in process (``httpx.AsyncClient`` on ``httpx.ASGITransport``), as a test suite calls;
- the server alone (ASGI calls with no client), the strictest bound: nothing but the server's work
  in the denominator.

    .venv/bin/python bench/limits.py            # rewrites its section of bench/RESULTS.md
    .venv/bin/python bench/limits.py --quick    # a smaller run, printed only
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import time
import timeit
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
from results_file import write_section

from mockserver import MockServer, Settings

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN, END = "<!-- limits -->", "<!-- /limits -->"
KEY = "sapi_key_bench"
TARGETS = [{"account_id": "acc_01JGTY1E836VY9YE7XYGSKYSVC"}, {"account_id": "acc_01JGR43PP11YMKWM7ZXA9DVNXE"}]
BODIES = {
    "draft": orjson.dumps({"text": "bench draft", "skip_duplicate_check": True, "targets": TARGETS}),
    "publish_now": orjson.dumps(
        {"text": "bench publish", "publish_now": True, "skip_duplicate_check": True, "targets": TARGETS}
    ),
}
DAY = b'{"seconds": 86400}'
TARGET_RATIO = 0.95
Post = Callable[[str, bytes], Awaitable[int]]


def app_of(limits_on: bool) -> Any:
    settings = Settings(api_version="2026-10-02", publish_mode="sync", request_limit=limits_on, velocity_caps=limits_on)
    return MockServer(settings).app


def direct(app: Any) -> Post:
    """A POST straight into the ASGI app: the server's work and nothing else."""
    headers = [(b"authorization", f"Bearer {KEY}".encode()), (b"content-type", b"application/json")]

    async def post(path: str, body: bytes) -> int:
        scope = {
            "type": "http",
            "method": "POST",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [*headers, (b"content-length", b"%d" % len(body))],
            "http_version": "1.1",
            "scheme": "http",
            "server": ("mock", 80),
            "client": ("127.0.0.1", 1),
            "root_path": "",
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        status: list[int] = []

        async def receive() -> dict[str, Any]:
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        return status[0]

    return post


def through_httpx(app: Any) -> Post:
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://mock",
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
    )

    async def post(path: str, body: bytes) -> int:
        return (await http.post(path, content=body)).status_code

    return post


async def ratio(path: Callable[[Any], Post], a_on: bool, b_on: bool, kind: str, n: int, every: int) -> float:
    """Median create time of ``b`` over that of ``a``: ``a``'s throughput relative to ``b``'s."""
    a, b = path(app_of(a_on)), path(app_of(b_on))
    body = BODIES[kind]
    times: dict[int, list[float]] = {0: [], 1: []}
    for i in range(n):
        if i % every == 0:
            for post in (a, b):
                assert await post("/_mock/clock/advance", DAY) == 200
        order = ((0, a), (1, b)) if i % 2 == 0 else ((1, b), (0, a))
        for side, post in order:
            start = time.perf_counter()
            status = await post("/v1/posts", body)
            times[side].append(time.perf_counter() - start)
            if status != 201:
                raise SystemExit(f"create answered {status}")
    warm = n // 10
    return statistics.median(times[1][warm:]) / statistics.median(times[0][warm:])


def isolated_costs() -> tuple[float, float, float, float]:
    """Microseconds of the bookkeeping alone (the request budget's count and headers; the velocity caps'
    admission of two targets) and of one server-alone create (draft, publish_now), each at its fastest
    (best of 50 batches of 1,000; the fastest of 3,000 creates): what the work costs when nothing else
    on the machine gets in its way, comparable across the four."""
    from mockserver.api.rate_limit import spend
    from mockserver.core.models import Target

    server = MockServer(Settings(api_version="2026-10-02"))
    backend = server.tenant(KEY)
    limits = backend.state.limits
    targets = [Target(t["account_id"], "linkedin") for t in TARGETS]
    now = backend.now()

    def count_request() -> None:
        limits.bucket_requests = 0
        spend(backend, "bench")

    def admit() -> None:
        backend.velocity.admit(targets, now)
        limits.admitted.clear()

    def best(work: Callable[[], object], number: int) -> float:
        return min(timeit.repeat(work, number=number, repeat=50)) / number * 1e6

    async def fastest_create(kind: str, number: int) -> float:
        post = direct(app_of(False))
        fastest = float("inf")
        for n in range(number):
            if n % 10 == 0:
                await post("/_mock/clock/advance", DAY)
            start = time.perf_counter()
            await post("/v1/posts", BODIES[kind])
            fastest = min(fastest, time.perf_counter() - start)
        return fastest * 1e6

    draft, publish = (asyncio.run(fastest_create(kind, 3000)) for kind in BODIES)
    return best(count_request, 1000), best(admit, 1000), draft, publish


def client_header_cost() -> float:
    """Microseconds httpx spends on a response's three ``X-RateLimit-*`` headers (the client's work)."""
    request = httpx.Request("POST", "http://mock/v1/posts")
    plain = [(b"content-type", b"application/json"), (b"content-length", b"2"), (b"x-request-id", b"0a1b2c3d")]
    limited = [
        *plain,
        (b"x-ratelimit-limit", b"600"),
        (b"x-ratelimit-remaining", b"599"),
        (b"x-ratelimit-reset", b"60"),
    ]

    def answer(headers: list[tuple[bytes, bytes]]) -> Callable[[], object]:
        return lambda: httpx.Response(201, headers=headers, content=b"{}", request=request).headers.get_list("a")

    def best(work: Callable[[], object]) -> float:
        return min(timeit.repeat(work, number=1000, repeat=30)) / 1000 * 1e6

    return best(answer(limited)) - best(answer(plain))


def main(argv: list[str] | None = None, *, report: Callable[[str], None] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=4000, help="creates per server and figure")
    parser.add_argument("--every", type=int, default=10, help="creates between the clock's day steps")
    parser.add_argument("--quick", action="store_true", help="500 creates per figure, printed only")
    args = parser.parse_args(argv)
    n = 500 if args.quick else args.n
    began = time.monotonic()
    rows = []
    for label, path in (("through httpx, in process", through_httpx), ("the server alone (ASGI)", direct)):
        for kind in BODIES:
            control = asyncio.run(ratio(path, False, False, kind, n, args.every))
            measured = asyncio.run(ratio(path, True, False, kind, n, args.every))
            verdict = "PASS" if measured >= TARGET_RATIO else "**FAIL**"
            rows.append(f"| {label} | {kind} | {measured:.3f} | {control:.3f} | {verdict} |")
    request_us, admit_us, draft_us, publish_us = isolated_costs()
    headers_us = client_header_cost()
    section = [
        BEGIN,
        "## The 2026-10-02 limits' bookkeeping (issue 22)",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; run took "
        f"{time.monotonic() - began:.0f} s (`.venv/bin/python bench/limits.py`).",
        f"- Machine: {os.cpu_count()} cores, Linux {platform.release()}, python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f} at the end (a shared machine: compare ratios only).",
        f"- {n:,} creates per server and figure, 2 targets each, the two servers alternating request by request",
        f"  in one event loop; the clock moves a day every {args.every} creates (not timed), so the limits are on",
        "  but far from full. Ratio = median create time off / on (1.000 = free); the A/A column is the same",
        "  measurement with both servers off: the noise. The other sections' benchmarks run with both limits off.",
        "",
        "| path | create | limits on / off (throughput) | A/A control | target >= 0.95 |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "The bookkeeping alone, each at its fastest (the same work with nothing else on the machine in its way):",
        "",
        "| create | server's whole create | request budget | velocity caps (2 targets) | share |",
        "|---|---|---|---|---|",
        f"| draft | {draft_us:.1f} us | {request_us:.2f} us | - | {request_us / draft_us:.1%} |",
        f"| publish_now | {publish_us:.1f} us | {request_us:.2f} us | {admit_us:.2f} us | "
        f"{(request_us + admit_us) / publish_us:.1%} |",
        "",
        f"The httpx path pays, besides, the client's reading of the three `X-RateLimit-*` headers: {headers_us:.1f} us",
        "per answer in httpx (measured here by building the same response with and without them). That is the",
        "client's work on headers the real API sends too, not the mock's bookkeeping.",
        END,
    ]
    block = "\n".join(section)
    print(block)
    if not args.quick:
        (report or _write)(block)
    return 0


def _write(block: str) -> None:
    write_section(RESULTS, BEGIN, END, block)


if __name__ == "__main__":
    raise SystemExit(main())
