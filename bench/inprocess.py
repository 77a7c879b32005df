"""The in-process figure: one create round trip through the SDK, with no socket.

The SDK (``socialapi.SocialAPI``) talks to the app through ``mockserver.testing.sync_transport(app)``
(what the pytest fixture's ``.sdk()`` uses), imported lazily so that this file runs (and says "not
available yet") before that helper exists. With ``--vs-floor`` the same SDK call also goes to the bare
Starlette handler of ``bench/floor_app.py`` through the same transport, in alternating blocks, so the
figure is a ratio measured in one run.

Run: ``.venv/bin/python bench/inprocess.py [--json] [-n 2000]``. With ``--json`` the last line of
stdout is one JSON object, which ``bench/run.py`` reads.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

KEY = "sapi_key_bench"
TARGETS: list[dict[str, Any]] = [
    {"account_id": "acc_01JGTY1E836VY9YE7XYGSKYSVC"},  # linkedin
    {"account_id": "acc_01JGR43PP11YMKWM7ZXA9DVNXE"},  # twitter
]


def _load_attr(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr or "app")


def make_app(app_spec: str | None) -> Any:
    """The ASGI app under test: ``mockserver.MockServer().app`` unless ``--app module:attr`` names one."""
    if app_spec:
        return _load_attr(app_spec)
    mock_server = importlib.import_module("mockserver").MockServer()
    return mock_server.app


def make_transport(app_spec: str | None) -> httpx.BaseTransport:
    testing = importlib.import_module("mockserver.testing")
    sync_transport = testing.sync_transport
    transport: httpx.BaseTransport = sync_transport(make_app(app_spec))
    return transport


def measure(transport: httpx.BaseTransport, n: int, warmup: int) -> dict[str, Any]:
    from socialapi import SocialAPI

    http_client = httpx.Client(transport=transport)
    client = SocialAPI(api_key=KEY, base_url="http://socialapi-mock.local", max_retries=0, http_client=http_client)

    def create() -> None:
        client.publishing.create(text="In-process bench draft", skip_duplicate_check=True, targets=TARGETS)

    for _ in range(warmup):
        create()
    samples_ns: list[int] = []
    for _ in range(n):
        start = time.perf_counter_ns()
        create()
        samples_ns.append(time.perf_counter_ns() - start)
    client.close()
    samples_ns.sort()
    ms = [s / 1e6 for s in samples_ns]
    return {
        "available": True,
        "n": n,
        "median_ms": statistics.median(ms),
        "mean_ms": statistics.fmean(ms),
        "p90_ms": ms[int(0.90 * (n - 1))],
        "p99_ms": ms[int(0.99 * (n - 1))],
    }


def measure_vs_floor(app_spec: str | None, n: int, warmup: int, block: int = 100) -> dict[str, Any]:
    """Ours and the floor, ``block`` calls at a time in turn; medians of each and their ratio."""
    from socialapi import SocialAPI

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    floor = importlib.import_module("floor_app").app
    sync_transport = importlib.import_module("mockserver.testing").sync_transport
    clients = {
        name: SocialAPI(
            api_key=KEY,
            base_url="http://socialapi-mock.local",
            max_retries=0,
            http_client=httpx.Client(transport=sync_transport(app)),
        )
        for name, app in (("ours", make_app(app_spec)), ("floor", floor))
    }
    samples: dict[str, list[int]] = {"ours": [], "floor": []}

    def run(name: str, count: int, keep: bool) -> None:
        client = clients[name]
        for _ in range(count):
            start = time.perf_counter_ns()
            client.publishing.create(text="In-process bench draft", skip_duplicate_check=True, targets=TARGETS)
            if keep:
                samples[name].append(time.perf_counter_ns() - start)

    for name in clients:
        run(name, warmup, keep=False)
    for index in range(max(1, n // block)):
        for name in ("ours", "floor") if index % 2 == 0 else ("floor", "ours"):
            run(name, block, keep=True)
    for client in clients.values():
        client.close()
    ours = statistics.median(samples["ours"]) / 1e6
    floor_ms = statistics.median(samples["floor"]) / 1e6
    ordered = sorted(samples["ours"])
    return {
        "available": True,
        "n": len(ordered),
        "median_ms": ours,
        "p99_ms": ordered[int(0.99 * (len(ordered) - 1))] / 1e6,
        "floor_median_ms": floor_ms,
        "ratio": ours / floor_ms,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="In-process create round trip through the SDK.")
    parser.add_argument("-n", type=int, default=2000, help="timed round trips")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--app", default=None, help="module:attr of an ASGI app (default: mockserver's factory)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line for run.py")
    parser.add_argument("--vs-floor", action="store_true", help="also time the bare floor handler, interleaved")
    args = parser.parse_args(argv)

    try:
        transport = make_transport(args.app)
    except (ImportError, AttributeError, TypeError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
        print(f"not available yet ({reason})")
        if args.json:
            print(json.dumps({"available": False, "reason": reason}))
        return 0

    if args.vs_floor:
        transport.close()
        result = measure_vs_floor(args.app, args.n, args.warmup)
        print(
            f"create round trip through the SDK, in process: median {result['median_ms']:.3f} ms against "
            f"{result['floor_median_ms']:.3f} ms for the bare floor handler ({result['ratio']:.2f}x)"
        )
    else:
        result = measure(transport, args.n, args.warmup)
        print(
            f"create round trip through the SDK, in process: median {result['median_ms']:.3f} ms, "
            f"p99 {result['p99_ms']:.3f} ms over {result['n']} calls"
        )
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
