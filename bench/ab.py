"""A/B of two checkouts of the server under wrk, interleaved in one run: A B A B ..., medians and ratio.

Run: ``.venv/bin/python bench/ab.py --a DIR_A [--b DIR_B] [--case create] [--rounds 5] [--seconds 4]``.
A directory holds a checkout's ``mockserver/`` (``git archive REV mockserver fixtures scenarios | tar -x``);
B defaults to this checkout. Both servers run on CPU 0 (one loaded at a time), wrk on CPU 1.
Besides req/s it reports each server's CPU time per request (``/proc/PID/stat`` over the requests wrk
counted) and the median over rounds of B's / A's: on a machine others share, time spent waiting for a
core moves req/s by up to 2x between rounds of the same server, and the CPU time barely.
The figure to read is that ratio, or the ratio of the req/s medians, never the absolute numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench

CASES: dict[str, tuple[str, str]] = {
    "create": ("create_draft.lua", "/v1/posts"),
    "publish": ("publish_now.lua", "/v1/posts"),
    "list": ("list_drafts.lua", "/v1/posts"),
    # --inprocess only: GET /v1/posts/{pid} of one stored draft.
    "get": ("", ""),
}
CLI = "import sys; from mockserver.cli import main; sys.exit(main())"
# --inprocess: the app driven straight through ASGI (no socket, no uvicorn), best batch of several, in
# CPU time of the process: the cost of one request, steadier than req/s on a machine others are using.
INPROCESS = r"""
import asyncio, sys, time, orjson
from mockserver import MockServer
case, batches, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
targets = [{"account_id": "acc_01JGTY1E836VY9YE7XYGSKYSVC"}, {"account_id": "acc_01JGR43PP11YMKWM7ZXA9DVNXE"}]
if case == "publish":
    targets.append({"account_id": "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG"})
body = orjson.dumps({"text": "A/B", "skip_duplicate_check": True, "publish_now": case == "publish", "targets": targets})
app = MockServer().app
method, path, query = {"list": ("GET", "/v1/posts", b"limit=25&status=draft"), "get": ("GET", "", b"")}.get(
    case, ("POST", "/v1/posts", b""))
headers = [(b"host", b"mock"), (b"authorization", b"Bearer sapi_key_bench"), (b"content-type", b"application/json"),
           (b"content-length", str(len(body)).encode())]
scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
         "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "", "headers": headers,
         "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
sent = [body if method == "POST" else b""]
async def receive():
    return {"type": "http.request", "body": sent[0], "more_body": False}
statuses = []
bodies = []
async def send(message):
    if message["type"] == "http.response.start":
        statuses.append(message["status"])
    else:
        bodies[:] = [message.get("body", b"")]
async def one(n):
    for _ in range(n):
        await app(dict(scope), receive, send)
async def main():
    global path
    if case in ("list", "get"):
        scope.update(method="POST", path="/v1/posts", query_string=b"")
        sent[0] = body
        await one(1000 if case == "list" else 1)
        path = path or "/v1/posts/" + orjson.loads(bodies[-1])["id"]
        scope.update(method=method, path=path, raw_path=path.encode(), query_string=query)
        sent[0] = b""
    await one(size)
    best = []
    for _ in range(batches):
        t0 = time.process_time()
        await one(size)
        best.append((time.process_time() - t0) / size * 1e6)
    assert all(200 <= s < 300 for s in statuses), set(statuses)
    print(min(best))
asyncio.run(main())
"""


def launch(name: str, source: Path) -> bench.Server:
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(source)
    try:
        # -P: the current directory (this checkout) must not come before PYTHONPATH.
        argv = [bench.PY, "-P", "-c", CLI, *bench.OURS_CMD[3:]]
        return bench.launch(name, argv, bench._probe_accounts, timeout=30.0)
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Interleaved A/B of two checkouts under wrk.")
    parser.add_argument("--a", required=True, help="directory with checkout A's mockserver/")
    parser.add_argument("--b", default=str(bench.ROOT), help="directory with checkout B's mockserver/")
    parser.add_argument("--case", choices=sorted(CASES), default="create")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--fill", type=int, default=1_000, help="drafts stored first (list case only)")
    parser.add_argument("--inprocess", action="store_true", help="time the app through ASGI, no socket")
    args = parser.parse_args(argv)
    if args.inprocess:
        return inprocess(args)
    bench.Pinning.on = shutil.which("taskset") is not None
    script, path = CASES[args.case]
    servers = {"A": launch("ab-A", Path(args.a).resolve()), "B": launch("ab-B", Path(args.b).resolve())}
    rps: dict[str, list[float]] = {"A": [], "B": []}
    p99: dict[str, list[float]] = {"A": [], "B": []}
    cpu_us: dict[str, list[float]] = {"A": [], "B": []}
    key = bench.PUBLISH_KEY if args.case == "publish" else bench.KEY
    try:
        for server in servers.values():
            if args.case == "list":
                bench.fill(server.port, "create_draft.lua", args.fill, 30.0)
            bench.run_wrk(server.port, script, 2, path=path, key=key)  # warm-up
        for index in range(args.rounds):
            order = ("A", "B") if index % 2 == 0 else ("B", "A")
            for label in order:
                server = servers[label]
                before = bench.cpu_seconds(server.proc.pid)
                res = bench.clean(bench.run_wrk(server.port, script, args.seconds, path=path, key=key), label)
                cpu_us[label].append((bench.cpu_seconds(server.proc.pid) - before) * 1e6 / max(res.requests, 1))
                rps[label].append(res.rps)
                p99[label].append(res.p99_ms)
                print(
                    f"round {index + 1} {label}: {res.rps:,.0f} req/s, p99 {res.p99_ms:.2f} ms, "
                    f"{cpu_us[label][-1]:.1f} us CPU per request",
                    flush=True,
                )
    finally:
        for server in servers.values():
            bench.stop(server.proc)
    a, b = statistics.median(rps["A"]), statistics.median(rps["B"])
    wins = sum(1 for x, y in zip(rps["A"], rps["B"], strict=True) if y > x)
    print(
        f"{args.case}: A median {a:,.0f} req/s (p99 {statistics.median(p99['A']):.2f} ms), "
        f"B median {b:,.0f} req/s (p99 {statistics.median(p99['B']):.2f} ms), "
        f"B/A = {b / a:.3f}, B faster in {wins}/{args.rounds} rounds"
    )
    cpu_ratio = statistics.median(y / x for x, y in zip(cpu_us["A"], cpu_us["B"], strict=True))
    print(
        f"{args.case}: CPU per request A median {statistics.median(cpu_us['A']):.1f} us, "
        f"B median {statistics.median(cpu_us['B']):.1f} us, B/A per round (median) = {cpu_ratio:.3f}"
    )
    return 0


def inprocess(args: argparse.Namespace) -> int:
    us: dict[str, list[float]] = {"A": [], "B": []}
    sources = {"A": Path(args.a).resolve(), "B": Path(args.b).resolve()}
    for index in range(args.rounds):
        for label in ("A", "B") if index % 2 == 0 else ("B", "A"):
            env = {**os.environ, "PYTHONPATH": str(sources[label])}
            argv = bench.pinned([bench.PY, "-P", "-c", INPROCESS, args.case, "9", "300"], bench.SERVER_CPU)
            out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True, cwd="/")
            us[label].append(float(out.stdout.split()[-1]))
            print(f"round {index + 1} {label}: {us[label][-1]:.1f} us per request", flush=True)
    a, b = statistics.median(us["A"]), statistics.median(us["B"])
    wins = sum(1 for x, y in zip(us["A"], us["B"], strict=True) if y < x)
    print(
        f"{args.case} in process: A median {a:.1f} us, B median {b:.1f} us, B/A = {b / a:.3f}, "
        f"B faster in {wins}/{args.rounds} rounds"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
