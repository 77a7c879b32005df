"""Where each microsecond of a request goes: py-spy samples of our server under wrk, grouped by stage.

For each case (create: a draft with two targets; publish: ``publish_now`` with three; list:
``GET /v1/posts?limit=25&status=draft`` over 1,000 drafts) it starts a fresh server on CPU 0, warms
it up, and samples it with ``py-spy record`` while ``wrk -t1 -c16`` (CPU 1) keeps it saturated.
Each sample pauses the server (py-spy's default): with ``--nonblocking`` stacks were read while they
changed, and about one sample in ten named a caller and a callee that never meet. Every sample is
put in one stage by its deepest frame in ``mockserver`` (the source line decides for the calls that
are C code, such as ``orjson.dumps``); a sample with no such frame is the
ASGI server's (uvicorn, httptools, uvloop). A stage's microseconds per request are its share of the
samples (taken while the server is on a CPU) times the server's CPU time per request in that run
(``/proc/PID/stat`` over the requests wrk counted), so other work on the machine does not count.

Run: ``.venv/bin/python bench/stages.py [--cases create,publish,list] [--seconds 8] [--source DIR]``.
``--source`` profiles another checkout of the package (e.g. ``git archive`` of an older commit);
``--against DIR`` profiles that checkout and this one in turn, A B B A per case, and prints both side
by side (the before/after tables of ``PROFILE.md``).
py-spy comes from ``pip install -e '.[bench]'``; sampling needs ptrace (root, or ptrace_scope 0).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench

CASES: dict[str, tuple[str, str, int]] = {
    # case: (wrk script, path, posts stored before sampling)
    "create": ("create_draft.lua", "/v1/posts", 0),
    "publish": ("publish_now.lua", "/v1/posts", 0),
    "list": ("list_drafts.lua", "/v1/posts", 1_000),
}

ASGI = "ASGI server, Python (uvicorn's protocol, asyncio tasks)"
LOOP = "event loop, C (uvloop, httptools parser, socket syscalls)"
GC = "garbage collector callback"
SHELL = "app shell (dispatch, headers, auth, tenant, request id, Call)"
STAGES = [
    LOOP,
    ASGI,
    SHELL,
    "body read",
    "JSON parse",
    "validation (pydantic)",
    "unknown-field walk",
    "request model to command",
    "rate limit and velocity",
    "target resolution",
    "post build",
    "platform rules",
    "ids",
    "store",
    "deliveries",
    "events",
    "inbox audience",
    "list query",
    "domain, other",
    "journal copy",
    "response build",
    "serialisation",
    "response send",
    "webhook kick",
    GC,
]
# Our own frames that belong to the server, not to a request: the process's main function and the
# uvicorn protocol subclass (its one-write send is counted where the pipeline calls it, _send).
SERVER_FILES = ("mockserver/__main__.py", "mockserver/cli.py", "mockserver/serve.py", "mockserver/bounded_http.py")

# Helpers every stage calls (a post's effective fields, engagement, instants, the tenant's state):
# their samples count for the stage of the code that called them.
PASS_THROUGH = ("core/models.py", "core/rules/engagement.py", "core/timefmt.py", "core/tenancy.py")

# (path suffix, function or "", text the source line contains or "") -> stage; the first rule that
# matches the deepest mockserver frame decides, else the next frame up is tried.
Rule = tuple[str, str, str, str]
RULES: list[Rule] = [
    ("mockserver/serve.py", "_freeze_survivors", "", GC),
    ("api/body_warnings.py", "", "", "unknown-field walk"),
    ("api/http.py", "_journal", "", "journal copy"),
    ("core/journal.py", "", "", "journal copy"),
    ("core/backend.py", "record_request", "", "journal copy"),
    ("api/body_reader.py", "read_limited", "", "body read"),
    ("api/body_reader.py", "", "", "JSON parse"),
    ("core/bounds.py", "", "", "JSON parse"),
    ("api/http.py", "parse_model", "", "validation (pydantic)"),
    ("api/http.py", "parse_query", "", "validation (pydantic)"),
    ("api/shapes/common.py", "instant", "", "validation (pydantic)"),
    ("", "to_command", "", "request model to command"),
    ("api/rate_limit.py", "", "", "rate limit and velocity"),
    ("core/limits/", "", "", "rate limit and velocity"),
    ("core/rules/targets.py", "", "", "target resolution"),
    # Account pages (Facebook, LinkedIn, Google): a target's default page.
    ("core/accounts/pages.py", "", "", "target resolution"),
    ("core/posts/base.py", "target_context", "", "target resolution"),
    ("core/rules/content.py", "", "", "platform rules"),
    ("core/rules/platforms.py", "", "", "platform rules"),
    ("core/rules/platform_data.py", "", "", "platform rules"),
    ("core/media_inputs.py", "", "", "platform rules"),
    ("core/ids.py", "", "", "ids"),
    ("core/store.py", "", "", "store"),
    ("core/posts/listing.py", "", "", "list query"),
    ("core/posts/publishing.py", "_deliver", "", "deliveries"),
    ("core/posts/publishing.py", "_delivery_outcome", "", "deliveries"),
    ("core/posts/publishing.py", "_refusal", "", "deliveries"),
    ("core/posts/publishing.py", "_record_delivery", "", "deliveries"),
    ("core/posts/publishing.py", "_mark_published", "", "deliveries"),
    ("core/posts/attempts.py", "", "", "deliveries"),
    ("core/accounts/limits.py", "", "", "deliveries"),
    ("core/events/", "", "", "events"),
    ("core/webhooks/outbox.py", "", "", "events"),
    ("core/posts/base.py", "outcome_payload", "", "events"),
    ("core/posts/base.py", "_result", "", "events"),
    ("", "record_event", "", "events"),
    ("core/inbox/", "", "", "inbox audience"),
    ("core/commands.py", "", "", "post build"),
    ("core/posts/publishing.py", "_build_post", "", "post build"),
    ("api/shapes/common.py", "wire_json", "", "serialisation"),
    ("api/http.py", "", "wire_json(", "serialisation"),
    ("api/shapes/", "", "", "response build"),
    ("api/posts.py", "", "Reply(", "response build"),
    ("api/posts.py", "", "metrics_at(", "response build"),
    ("core/posts/base.py", "metrics_at", "", "response build"),
    ("api/http.py", "_send", "", "response send"),
    ("api/http.py", "run", "await _send(", "response send"),
    ("api/http.py", "", "webhook_sender.kick(", "webhook kick"),
    ("mockserver/webhook_sender.py", "", "", "webhook kick"),
    ("core/team/keys.py", "", "", SHELL),
    ("core/reach.py", "", "", SHELL),
    ("core/backend.py", "next_request_id", "", SHELL),
    ("core/backend.py", "request_fault", "", SHELL),
    ("mockserver/core/", "", "", "domain, other"),
    ("api/posts.py", "", "", "domain, other"),
    ("mockserver/", "", "", SHELL),
]
FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*):(?P<line>\d+)\)$")


SOURCE = [bench.ROOT]  # where the sampled server's mockserver/ lives (py-spy names files from there)


@cache
def source_line(path: str, line: int) -> str:
    try:
        lines = (SOURCE[0] / path).read_text().splitlines()
    except OSError:
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def stage_of(frames: list[str]) -> str:
    """The stage of one sampled stack (frames root first, as py-spy's raw format writes them)."""
    for frame in reversed(frames):
        match = FRAME.match(frame)
        if match is None or not match["file"].startswith("mockserver/"):
            continue
        func, path, line = match["func"].rpartition(".")[2], match["file"], int(match["line"])
        if path in SERVER_FILES and func != "_freeze_survivors":
            continue
        if path.endswith(PASS_THROUGH):
            continue
        for suffix, wanted_func, text, stage in RULES:
            if suffix and suffix not in path:
                continue
            if wanted_func and func != wanted_func:
                continue
            if text and text not in source_line(path, line):
                continue
            return stage
    leaf = FRAME.match(frames[-1]) if frames else None
    if leaf is None or leaf["file"] in (*SERVER_FILES, "asyncio/runners.py", "uvicorn/_compat.py"):
        # Only the loop's entry on the stack: the loop is in its own C code.
        return LOOP
    return ASGI


def classify(raw: str) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    for row in raw.splitlines():
        stack, _, count = row.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        counts[stage_of(stack.split(";"))] += int(count)
    return counts


def profile_case(
    case: str, seconds: int, rate: int, server_cmd: tuple[str, ...], env: dict[str, str], keep: Path | None
) -> dict[str, object]:
    script, path, stored = CASES[case]
    saved = os.environ.copy()
    os.environ.update(env)
    try:
        server = bench.launch(f"profile-{case}", list(server_cmd), bench._probe_accounts, timeout=30.0)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        if stored:
            bench.fill(server.port, "create_draft.lua", stored, 30.0)
        bench.run_wrk(server.port, script, 2, path=path)  # warm-up
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "stacks.txt"
            spy = subprocess.Popen(
                [
                    *py_spy(),
                    "record",
                    "--pid",
                    str(server.proc.pid),
                    "--rate",
                    str(rate),
                    "--duration",
                    str(seconds),
                    "--format",
                    "raw",
                    "--output",
                    str(out),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            result: list[bench.WrkResult] = []
            cpu_before = bench.cpu_seconds(server.proc.pid)
            load = threading.Thread(
                target=lambda: result.append(bench.run_wrk(server.port, script, seconds + 1, path=path))
            )
            load.start()
            _, err = spy.communicate(timeout=seconds + 60)
            load.join()
            cpu = bench.cpu_seconds(server.proc.pid) - cpu_before
            if spy.returncode != 0 or not out.exists():
                raise SystemExit(f"py-spy failed ({spy.returncode}): {err.strip()[-400:]}")
            counts = classify(out.read_text())
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(out, keep / f"{case}.txt")
    finally:
        bench.stop(server.proc)
    wrk = result[0]
    # CPU time, not 1 / req/s: on a shared machine the server waits for a core, and that is not its cost.
    per_request_us = cpu * 1e6 / wrk.requests if wrk.requests else 0.0
    total = sum(counts.values()) or 1
    return {
        "case": case,
        "rps": wrk.rps,
        "p99_ms": wrk.p99_ms,
        "non2xx": wrk.non2xx,
        "samples": total,
        "us_per_request": per_request_us,
        "stages": {stage: counts[stage] / total for stage in STAGES if counts[stage]},
    }


def py_spy() -> list[str]:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return [found]


def table(results: list[dict[str, object]], fmt: Callable[[float, float], str] | None = None) -> str:
    fmt = fmt or (lambda share, us: f"{us:.1f} ({share * 100:.0f} %)")
    head = "| stage | " + " | ".join(str(r["case"]) for r in results) + " |"
    rows = [head, "|---|" + "---|" * len(results)]
    for stage in STAGES:
        cells = []
        for r in results:
            share = r["stages"].get(stage, 0.0)  # type: ignore[attr-defined]
            cells.append(fmt(share, share * float(r["us_per_request"])) if share else "")  # type: ignore[arg-type]
        if any(cells):
            rows.append(f"| {stage} | " + " | ".join(cells) + " |")
    rows.append(
        "| **whole request (server CPU time / requests)** | "
        + " | ".join(f"**{float(r['us_per_request']):.1f}**" for r in results)  # type: ignore[arg-type]
        + " |"
    )
    rows.append("| req/s while sampled | " + " | ".join(f"{float(r['rps']):,.0f}" for r in results) + " |")  # type: ignore[arg-type]
    rows.append("| samples | " + " | ".join(f"{r['samples']:,}" for r in results) + " |")
    return "\n".join(rows)


def comparison(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> str:
    """One table per case: each stage's microseconds per request before and after."""
    out = []
    for old, new in zip(before, after, strict=True):
        rows = [f"**{old['case']}**", "", "| stage | before us | after us |", "|---|---|---|"]
        for stage in STAGES:
            a = old["stages"].get(stage, 0.0) * old["us_per_request"]
            b = new["stages"].get(stage, 0.0) * new["us_per_request"]
            if a or b:
                rows.append(f"| {stage} | {a:.1f} | {b:.1f} |")
        rows.append(
            f"| **whole request (server CPU)** | **{old['us_per_request']:.1f}** | **{new['us_per_request']:.1f}** |"
        )
        rows.append(f"| samples | {old['samples']:,} | {new['samples']:,} |")
        out.append("\n".join(rows))
    return "\n\n".join(out)


def server_of(source: str | None) -> tuple[tuple[str, ...], dict[str, str]]:
    """The command and environment that serve ``source``'s mockserver/ (None: this checkout)."""
    SOURCE[0] = Path(source).resolve() if source else bench.ROOT
    source_line.cache_clear()  # the line a sample names is read from the checkout being sampled
    if not source:
        return bench.OURS_CMD, {}
    # -P: neither -m nor -c may put the current directory (this checkout) before PYTHONPATH.
    cmd = (bench.PY, "-P", "-c", "import sys; from mockserver.cli import main; sys.exit(main())", *bench.OURS_CMD[3:])
    return cmd, {"PYTHONPATH": str(SOURCE[0])}


def merged(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several profiles of one case as one: shares weighted by samples, CPU per request averaged."""
    samples = sum(int(r["samples"]) for r in runs)
    stages = {
        stage: sum(r["stages"].get(stage, 0.0) * int(r["samples"]) for r in runs) / samples
        for stage in STAGES
        if any(stage in r["stages"] for r in runs)
    }
    return {
        "case": runs[0]["case"],
        "rps": statistics.mean(float(r["rps"]) for r in runs),
        "p99_ms": statistics.mean(float(r["p99_ms"]) for r in runs),
        "non2xx": sum(int(r["non2xx"]) for r in runs),
        "samples": samples,
        "us_per_request": statistics.mean(float(r["us_per_request"]) for r in runs),
        "stages": stages,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Per-stage profile of our server under wrk (py-spy).")
    parser.add_argument("--cases", default="create,publish,list")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--source", default=None, help="directory holding another checkout's mockserver/")
    parser.add_argument(
        "--against",
        default=None,
        help="directory of an earlier checkout: profile it and this one in turn (A B B A per case), print both",
    )
    parser.add_argument("--json", default=None, help="also write the results to this file")
    parser.add_argument("--keep", default=None, help="keep py-spy's raw stacks in this directory (CASE.txt)")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="print two --json files side by side")
    args = parser.parse_args(argv)
    if args.compare:
        before, after = (json.loads(Path(name).read_text()) for name in args.compare)
        print(comparison(before, after))
        return 0
    bench.Pinning.on = shutil.which("taskset") is not None
    keep = Path(args.keep) if args.keep else None
    if args.against:
        # Sequential runs of two checkouts drift with the machine's load; turns of A B B A cancel most of it.
        earlier: list[dict[str, Any]] = []
        later: list[dict[str, Any]] = []
        for case in args.cases.split(","):
            runs: dict[str | None, list[dict[str, Any]]] = {args.against: [], args.source: []}
            for source in (args.against, args.source, args.source, args.against):
                cmd, env = server_of(source)
                runs[source].append(profile_case(case, args.seconds, args.rate, cmd, env, None))
                print(f"{case} ({source or 'this checkout'}): done", file=sys.stderr)
            earlier.append(merged(runs[args.against]))
            later.append(merged(runs[args.source]))
        print(comparison(earlier, later))
        if args.json:
            Path(args.json).write_text(json.dumps({"before": earlier, "after": later}, indent=1))
        return 0
    cmd, env = server_of(args.source)
    results = []
    for case in args.cases.split(","):
        started = time.perf_counter()
        results.append(profile_case(case, args.seconds, args.rate, cmd, env, keep))
        print(f"{case}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
