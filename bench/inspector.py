"""Issue 13: the inspector's posts panel renders as fast with 100,000 posts as with 100.

Server side: the requests the page makes for its first render of the posts panel (the tenant list,
the clock, the first page of posts), through the ASGI app in process, timed with 100 and with
100,000 posts in the tenant. A few other panel queries are measured the same way. The section
"Inspector posts panel (issue 13)" of bench/RESULTS.md is replaced (or appended), nothing else.

Run: ``.venv/bin/python bench/inspector.py [--big 100000] [--repeat 300]``.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from mockserver import MockServer
from mockserver.core.clock import wall_now
from mockserver.core.commands import NewPost, NewTarget

KEY = "sapi_key_bench_ui"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADING = "## Inspector posts panel (issue 13)"
TARGET_RATIO = 1.5
LINKEDIN = "acc_01JGTY1E836VY9YE7XYGSKYSVC"
THREADS = "acc_01JGJH029XZQCGZXZV2JMX6WGW"
START = datetime(2026, 1, 1, tzinfo=UTC)

FIRST_RENDER = ["/_mock/tenants", "/_mock/clock", "/_mock/posts?sort=created_desc&limit=25"]
OTHER = {
    "posts, status=scheduled": ["/_mock/posts?status=scheduled&sort=created_desc&limit=25"],
    "posts, platform=threads": ["/_mock/posts?platform=threads&sort=created_desc&limit=25"],
    "posts, page 2 (cursor)": [],  # filled in once the first page's cursor is known
    # The page asks for 100; 25 here, so both sizes return a full page (the small tenant has 34).
    "timeline (next 7 days, 25 posts)": [
        "/_mock/posts?status=scheduled&sort=scheduled_asc&from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00Z&limit=25"
    ],
}


def fill(server: MockServer, count: int) -> None:
    """``count`` posts: every third scheduled within the next 7 days, the rest drafts; half on two platforms."""
    backend = server.tenant(KEY)
    for number in range(count):
        scheduled = START + timedelta(minutes=1 + number % (7 * 24 * 60)) if number % 3 == 0 else None
        backend.posts.create_post(
            NewPost(
                text=f"post number {number}",
                scheduled_at=scheduled,
                skip_duplicate_check=True,
                targets=(NewTarget(LINKEDIN),) + ((NewTarget(THREADS),) if number % 2 else ()),
            )
        )


async def timed(client: httpx.AsyncClient, paths: list[str]) -> float:
    """Milliseconds to get every path of ``paths`` once."""
    began = time.perf_counter()
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text[:200])
    return (time.perf_counter() - began) * 1000


async def measure(sizes: tuple[int, int], repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median times of each query at both sizes, the two tenants' rounds interleaved so that a busy
    moment of the machine falls on both alike."""
    clients = []
    queries: list[dict[str, list[str]]] = []
    for count in sizes:
        server = MockServer()
        began = time.perf_counter()
        fill(server, count)
        print(f"{count:>7} posts filled in {time.perf_counter() - began:.1f} s")
        transport = httpx.ASGITransport(app=server.app)
        headers = {"Authorization": f"Bearer {KEY}"}
        client = httpx.AsyncClient(transport=transport, base_url="http://mock", headers=headers)
        cursor = (await client.get("/_mock/posts?sort=created_desc&limit=25")).json()["pagination"]["next_cursor"]
        page_two = [f"/_mock/posts?sort=created_desc&limit=25&cursor={cursor}"]
        queries.append({"first render": FIRST_RENDER, **OTHER, "posts, page 2 (cursor)": page_two})
        clients.append(client)
    samples: list[dict[str, list[float]]] = [{name: [] for name in queries[0]} for _ in sizes]
    for round_ in range(repeat + max(repeat // 10, 5)):
        for index, client in enumerate(clients):
            for name, paths in queries[index].items():
                elapsed = await timed(client, paths)
                if round_ >= max(repeat // 10, 5):  # the first rounds warm up
                    samples[index][name].append(elapsed)
    for client in clients:
        await client.aclose()
    few, many = ({name: statistics.median(values) for name, values in sample.items()} for sample in samples)
    for count, result in zip(sizes, (few, many), strict=True):
        print(f"{count:>7} posts: " + ", ".join(f"{k} {v:.2f} ms" for k, v in result.items()))
    return few, many


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model or platform.processor() or 'unknown CPU'}, Python {platform.python_version()}"


def section(small: int, big: int, results: tuple[dict[str, float], dict[str, float]], repeat: int) -> str:
    few, many = results
    ratio = many["first render"] / few["first render"]
    verdict = "PASS" if ratio <= TARGET_RATIO else "**FAIL**"
    lines = [
        HEADING,
        "",
        f"- Date: {wall_now():%Y-%m-%d %H:%M} UTC; machine: {machine()}; `.venv/bin/python bench/inspector.py`.",
        f"- What: the requests of the posts panel's first render ({', '.join(f'`{p}`' for p in FIRST_RENDER)}),",
        "  in process through the ASGI app (one event loop, no socket), median of",
        f"  {repeat} interleaved rounds, with {small:,} and {big:,} posts (half of them on two platforms,",
        "  a third scheduled over the next 7 days).",
        "",
        "| query | " + f"{small:,} posts | {big:,} posts | ratio | target |",
        "|---|---|---|---|---|",
        f"| first render | {few['first render']:.2f} ms | {many['first render']:.2f} ms | {ratio:.2f} | "
        f"<= {TARGET_RATIO} x: {verdict} |",
    ]
    for name in OTHER:
        lines.append(f"| {name} | {few[name]:.2f} ms | {many[name]:.2f} ms | {many[name] / few[name]:.2f} | |")
    lines += [
        "",
        "Every list walks one sorted index from the cursor on (`core/store.py`), so a page costs",
        "O(log n + page). A text filter that matches few posts has to walk until it finds a page of them:",
        "that is the one query whose cost grows with the tenant, and the panel pages it the same way.",
        "",
    ]
    return "\n".join(lines)


def write(text: str) -> None:
    current = RESULTS.read_text() if RESULTS.exists() else ""
    if HEADING in current:
        head, _, rest = current.partition(HEADING)
        # The section ends where the next one starts: a heading, or another bench's marker.
        following = min((at for at in (rest.find("\n## "), rest.find("\n<!-- ")) if at != -1), default=-1)
        tail = rest[following + 1 :] if following != -1 else ""
        current = head + text + ("\n" + tail if tail else "")
    else:
        current = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(current.rstrip("\n") + "\n")


def main(argv: list[str] | None = None, *, report: Callable[[str], None] = write) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args(argv)
    results = asyncio.run(measure((args.small, args.big), args.repeat))
    text = section(args.small, args.big, results, args.repeat)
    report(text)
    print(text)
    ratio = results[1]["first render"] / results[0]["first render"]
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
