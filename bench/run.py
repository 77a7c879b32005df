"""The benchmark harness: ``make bench`` (= ``.venv/bin/python bench/run.py``).

Installs wrk (Debian) and Prism (npm, under bench/_work/) when missing, then measures, in one
bounded run (under 10 minutes):

1. throughput of ``POST /v1/posts``: our server (draft and publish_now), Prism on an equivalent
   OpenAPI example, and the bare Starlette floor, interleaved A B C A B C, server on CPU 0 and
   ``wrk -t1 -c16`` on CPU 1;
2. scale on one fresh server: list time at 1,000 and 200,000 posts, RSS per stored post at
   200,000, create req/s in the first 10 s and after 500,000 stored posts;
3. the fake clock: one advance firing 1,000 (three times) and one firing 100,000 scheduled posts;
4. start time (first answer after launch) and idle RSS, on every launch of our server;
5. the in-process create round trip through the SDK (``bench/inprocess.py``).

Every figure is a ratio measured in this run, with its pass/fail, written to ``bench/RESULTS.md``.
A section that cannot run (server not startable, endpoint not 2xx, tool missing, time budget)
is recorded as "not measured: reason" and the run goes on.
"""

from __future__ import annotations

import argparse
import atexit
import compileall
import contextlib
import http.client
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / "_work"
LOGS = WORK / "logs"
LUA = BENCH / "lua"
PRISM_DOC = BENCH / "prism" / "openapi.yaml"
PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
PRISM_BIN = WORK / "node_modules" / ".bin" / "prism"
PY = sys.executable
# The request limit and velocity caps (on in the newest generation) would refuse a load test by design:
# off, whatever the default generation becomes. Their own cost is bench/limits.py's figure.
OURS_CMD: tuple[str, ...] = (
    *(PY, "-m", "mockserver", "serve", "--host", "127.0.0.1", "--port", "{port}"),
    *("--request-limit", "off", "--velocity-caps", "off"),
)

SERVER_CPU = 0
CLIENT_CPU = 1
CONNECTIONS = 16
KEY = "sapi_key_bench"
PUBLISH_KEY = "sapi_key_bench_publish"
LINKEDIN = "acc_01JGTY1E836VY9YE7XYGSKYSVC"
TWITTER = "acc_01JGR43PP11YMKWM7ZXA9DVNXE"
FACEBOOK = "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG"
DRAFT_BODY: dict[str, Any] = {
    "text": "Benchmark draft: hello from run.py",
    "skip_duplicate_check": True,
    "targets": [{"account_id": LINKEDIN}, {"account_id": TWITTER}],
}
PUBLISH_BODY: dict[str, Any] = {
    "text": "Benchmark publish_now: hello from run.py",
    "skip_duplicate_check": True,
    "publish_now": True,
    "targets": [{"account_id": LINKEDIN}, {"account_id": TWITTER}, {"account_id": FACEBOOK}],
}
LIST_PATH = "/v1/posts?limit=25&status=draft"
DEFAULT_CLOCK_START = datetime(2026, 1, 1, tzinfo=UTC)
KIB = 1024
MIB = 1024 * 1024


class NotMeasured(Exception):
    """A figure could not be measured; the message is the reason written to RESULTS.md."""


# --------------------------------------------------------------------------------------------
# Configuration


@dataclass(frozen=True)
class Config:
    quick: bool
    budget_s: float
    round_s: int
    warmup_s: int
    rounds: int
    decay_s: int
    list_s: int
    list_small: int
    list_large: int  # also where memory per post is measured
    decay_posts: int
    clock_small: int
    clock_large: int
    clock_small_reps: int
    inprocess_n: int
    server_cmd: tuple[str, ...]
    server_args: tuple[str, ...]
    output: Path

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Config:
        common = {
            "budget_s": args.budget,
            "server_cmd": tuple(shlex.split(args.server_cmd)) if args.server_cmd else OURS_CMD,
            "server_args": tuple(args.server_arg),
            "output": Path(args.output),
            "rounds": 3,
            "clock_small_reps": 3,
        }
        if args.quick:
            return cls(
                quick=True,
                round_s=2,
                warmup_s=1,
                decay_s=3,
                list_s=2,
                list_small=1_000,
                list_large=20_000,
                decay_posts=50_000,
                clock_small=1_000,
                clock_large=10_000,
                inprocess_n=300,
                **common,
            )
        return cls(
            quick=False,
            round_s=6,
            warmup_s=3,
            decay_s=10,
            list_s=4,
            list_small=1_000,
            list_large=200_000,
            decay_posts=500_000,
            clock_small=1_000,
            clock_large=100_000,
            inprocess_n=2_000,
            **common,
        )


# --------------------------------------------------------------------------------------------
# Results


NOT_RUN = "not measured: section did not run"


@dataclass
class Figure:
    key: str
    name: str
    target: str
    measured: str = ""
    ratio: str = ""
    verdict: str = NOT_RUN


@dataclass
class Report:
    cfg: Config
    started: datetime
    figures: dict[str, Figure] = field(default_factory=dict)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    start_samples_ms: list[float] = field(default_factory=list)
    idle_rss: list[int] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    def figure(self, key: str, name: str, target: str) -> None:
        self.figures[key] = Figure(key, name, target)

    def set(self, key: str, measured: str, ratio: str, ok: bool, extra: str = "", incomplete: str = "") -> None:
        """Record a figure; ``incomplete`` says why it was measured short of the issue's size."""
        fig = self.figures[key]
        fig.measured, fig.ratio = measured, ratio
        fig.verdict = ("PASS" if ok else "FAIL") + (f" ({extra})" if extra else "")
        if incomplete:
            fig.verdict = f"incomplete: {incomplete} (would be {fig.verdict})"

    def miss(self, key: str, reason: str) -> None:
        fig = self.figures[key]
        if fig.verdict == NOT_RUN:
            fig.verdict = f"not measured: {reason}"

    def section(self, title: str, lines: list[str]) -> None:
        self.sections.append((title, lines))


def define_figures(rep: Report) -> None:
    cfg = rep.cfg
    rep.figure(
        "create_floor", "Create (`POST /v1/posts`, draft, 2 targets) vs bare Starlette floor", ">= 0.50 x floor req/s"
    )
    rep.figure("create_prism", "Create vs Prism (static example)", ">= 2.0 x Prism req/s")
    rep.figure("create_p99", f"Create p99 latency, {CONNECTIONS} connections", "< 5 ms")
    rep.figure(
        "decay",
        f"No decay: create req/s after {fmt_int(cfg.decay_posts)} stored posts vs first {cfg.decay_s} s",
        ">= 0.85 x first run",
    )
    rep.figure("publish_floor", "`publish_now`, 3 targets, vs floor", ">= 0.35 x floor req/s")
    rep.figure(
        "list", f"List `GET {LIST_PATH}`: {fmt_int(cfg.list_large)} posts vs {fmt_int(cfg.list_small)}", "<= 1.5 x"
    )
    rep.figure(
        "clock_ratio",
        f"Clock: per-post cost, advance firing {fmt_int(cfg.clock_large)} vs {fmt_int(cfg.clock_small)}",
        "<= 1.5 x",
    )
    rep.figure("clock_rate", f"Clock: posts fired per second ({fmt_int(cfg.clock_large)} advance)", ">= 20,000 posts/s")
    rep.figure(
        "mem_post", f"Memory: RSS per stored post (2 targets) at {fmt_int(cfg.list_large)} posts", "<= 3 KB (3,072 B)"
    )
    rep.figure("mem_idle", "Memory: idle server RSS", "< 60 MB")
    rep.figure("start", "Start: first answer after launch", "<= 0.5 s")
    rep.figure(
        "inprocess",
        "In process: create round trip through the SDK vs the bare floor handler, same transport, medians",
        "<= 2 x floor",
    )


# --------------------------------------------------------------------------------------------
# Processes: every child gets its own session (process group) and is killed by group on exit.

_LIVE: list[subprocess.Popen[Any]] = []
_OUR_GROUPS: set[int] = {os.getpgrp()}


class Pinning:
    """Whether children are pinned with taskset (decided once in main())."""

    on = True


def pinned(argv: list[str], cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu), *argv] if Pinning.on else argv


def spawn(argv: list[str], *, cpu: int, log_name: str, env: dict[str, str] | None = None) -> subprocess.Popen[Any]:
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{log_name}.log", "wb") as log:
        proc: subprocess.Popen[Any] = subprocess.Popen(
            pinned(argv, cpu),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
    _LIVE.append(proc)
    _OUR_GROUPS.add(proc.pid)
    return proc


def stop(proc: subprocess.Popen[Any]) -> None:
    """SIGTERM the child's process group, SIGKILL it after 5 s."""
    for sig, wait_s in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait_s)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers left in the group
    if proc in _LIVE:
        _LIVE.remove(proc)


def stop_all() -> None:
    for proc in list(_LIVE):
        stop(proc)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def log_tail(name: str, lines: int = 6) -> str:
    path = LOGS / f"{name}.log"
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(text[-lines:])[-600:] or "(no output)"


def group_rss_bytes(pgid: int) -> int:
    """Resident memory of every process in the group (VmRSS from /proc/PID/status)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * KIB
        except (OSError, IndexError, ValueError):
            continue
    return total


def _cpu_ticks() -> dict[int, tuple[int, int]]:
    """pid -> (process group, user + system clock ticks) for every process."""
    out: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                out[int(entry)] = (int(fields[2]), int(fields[11]) + int(fields[12]))
    return out


class ForeignCpu:
    """CPU time that processes outside this run used meanwhile: a busy machine makes figures noisy."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.before = _cpu_ticks()

    def share(self) -> float:
        """Foreign CPU seconds per wall second (1.0 = one whole core)."""
        hz = os.sysconf("SC_CLK_TCK")
        used = 0
        for pid, (pgid, ticks) in _cpu_ticks().items():
            if pgid in _OUR_GROUPS:
                continue
            used += ticks - self.before.get(pid, (pgid, 0))[1]
        return used / hz / max(time.monotonic() - self.t0, 1e-9)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# --------------------------------------------------------------------------------------------
# HTTP (stdlib, so the probe itself costs little)


def http_call(
    port: int, method: str, path: str, body: Any = None, *, key: str = KEY, timeout: float = 10.0
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def expect_2xx(port: int, method: str, path: str, body: Any = None, *, key: str = KEY) -> bytes:
    try:
        status, data = http_call(port, method, path, body, key=key)
    except OSError as exc:
        raise NotMeasured(f"{method} {path} failed: {exc}") from exc
    if not 200 <= status < 300:
        shown = data[:200].decode(errors="replace")
        raise NotMeasured(f"{method} {path.split('?', maxsplit=1)[0]} answered {status}: {shown}")
    return data


# --------------------------------------------------------------------------------------------
# Servers


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[Any]
    port: int
    start_s: float
    idle_rss: int = 0

    def rss(self) -> int:
        return group_rss_bytes(self.proc.pid)


def launch(name: str, argv: list[str], probe: Callable[[int], bool], *, timeout: float) -> Server:
    """Start a server on CPU 0 and poll ``probe`` until it answers; the time is the start figure."""
    port = free_port()
    full = [a.replace("{port}", str(port)) for a in argv]
    t0 = time.perf_counter()
    proc = spawn(full, cpu=SERVER_CPU, log_name=name)
    while True:
        if proc.poll() is not None:
            stop(proc)
            raise NotMeasured(f"{name} exited with code {proc.returncode}: {log_tail(name)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if probe(port):
                break
        if time.perf_counter() - t0 > timeout:
            stop(proc)
            raise NotMeasured(f"{name} gave no good answer within {timeout:.0f} s: {log_tail(name)}")
        time.sleep(0.005)
    start_s = time.perf_counter() - t0
    time.sleep(0.5)
    server = Server(name, proc, port, start_s)
    server.idle_rss = server.rss()
    return server


def _probe_accounts(port: int) -> bool:
    return http_call(port, "GET", "/v1/accounts", timeout=2.0)[0] == 200


def _probe_create(port: int) -> bool:
    return http_call(port, "POST", "/v1/posts", DRAFT_BODY, timeout=2.0)[0] == 201


def launch_ours(rep: Report, name: str, extra: tuple[str, ...] = ()) -> Server:
    argv = [*rep.cfg.server_cmd, *rep.cfg.server_args, *extra]
    server = launch(name, argv, _probe_accounts, timeout=20.0)
    rep.start_samples_ms.append(server.start_s * 1000)
    rep.idle_rss.append(server.idle_rss)
    return server


def launch_floor() -> Server:
    return launch("floor", [PY, str(BENCH / "floor_app.py"), "--port", "{port}"], _probe_create, timeout=20.0)


def launch_prism() -> Server:
    argv = [str(PRISM_BIN), "mock", "-v", "error", "-h", "127.0.0.1", "-p", "{port}", str(PRISM_DOC)]
    return launch("prism", argv, _probe_create, timeout=60.0)


# --------------------------------------------------------------------------------------------
# wrk


@dataclass
class WrkResult:
    requests: int
    duration_s: float
    wall_s: float  # until the fill target was reached (fills) or wrk ended
    non2xx: int
    socket_errors: int
    mean_ms: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    fill_ok: int
    first_bad: str

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def ok(self) -> int:
        return self.fill_ok if self.fill_ok >= 0 else self.requests - self.non2xx


def run_wrk(
    port: int,
    script: str,
    seconds: int,
    *,
    key: str = KEY,
    stop_after: int | None = None,
    env_extra: dict[str, str] | None = None,
    path: str = "/v1/posts",
) -> WrkResult:
    """One ``wrk -t1 -c16`` run on CPU 1. With ``stop_after`` the Lua script counts 2xx answers and
    stops the thread at that count; wrk's timer is then cut short with SIGINT."""
    env = dict(os.environ)
    env.update({"LUA_PATH": f"{LUA}/?.lua;;", "BENCH_KEY": key})
    if stop_after is not None:
        env["BENCH_STOP_AFTER"] = str(stop_after)
    env.update(env_extra or {})
    argv = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{max(1, seconds)}s", "--latency", "--timeout", "5s"]
    argv += ["-s", str(LUA / script), f"http://127.0.0.1:{port}{path}"]
    t0 = time.perf_counter()
    proc: subprocess.Popen[str] = subprocess.Popen(
        pinned(argv, CLIENT_CPU),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=LUA,
        env=env,
        start_new_session=True,
    )
    _LIVE.append(proc)
    _OUR_GROUPS.add(proc.pid)
    lines: list[str] = []
    stopped_at: list[float] = []

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if line.strip() == "BENCH_STOPPED" and not stopped_at:
                stopped_at.append(time.perf_counter() - t0)
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGINT)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        proc.wait(seconds + 30)
    except subprocess.TimeoutExpired:
        pass
    finally:
        stop(proc)
    thread.join(5)
    out = "".join(lines)
    match = re.search(r"^BENCHJSON (\{.*\})$", out, re.MULTILINE)
    if not match:
        raise NotMeasured(f"wrk printed no summary: {out.strip()[-400:]}")
    d = json.loads(match.group(1))
    sock = d["err_connect"] + d["err_read"] + d["err_write"] + d["err_timeout"]
    return WrkResult(
        requests=d["requests"],
        duration_s=d["duration_us"] / 1e6,
        wall_s=stopped_at[0] if stopped_at else time.perf_counter() - t0,
        non2xx=d["err_status"],
        socket_errors=sock,
        mean_ms=d["lat_mean_us"] / 1000,
        p50_ms=d["lat_p50_us"] / 1000,
        p99_ms=d["lat_p99_us"] / 1000,
        max_ms=d["lat_max_us"] / 1000,
        fill_ok=d["fill_ok"],
        first_bad=d["fill_first_bad"],
    )


def clean(res: WrkResult, what: str) -> WrkResult:
    """A measured run counts only if every answer was 2xx and no socket failed."""
    if res.requests == 0:
        raise NotMeasured(f"{what}: no request completed")
    if res.non2xx or res.socket_errors:
        raise NotMeasured(f"{what}: {res.non2xx} non-2xx answers, {res.socket_errors} socket errors")
    return res


def fill_rate(res: WrkResult) -> float:
    return res.ok / res.wall_s if res.wall_s > 0 else 0.0


def fill_note(res: WrkResult) -> str:
    if res.wall_s == 0:
        return "already there"
    return f"{fmt_int(fill_rate(res))} posts/s for {res.wall_s:.1f} s"


def fill(
    port: int, script: str, count: int, cap_s: float, *, key: str = KEY, env_extra: dict[str, str] | None = None
) -> WrkResult:
    """Store ``count`` posts (2xx answers) with wrk, within ``cap_s`` seconds."""
    if count <= 0:
        return WrkResult(0, 0.0, 0.0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0, "")
    res = run_wrk(port, script, int(max(2.0, cap_s)), key=key, stop_after=count, env_extra=env_extra)
    if res.fill_ok <= 0:
        raise NotMeasured(f"fill with {script} stored nothing: {res.first_bad or 'no answer'}")
    return res


# --------------------------------------------------------------------------------------------
# Formatting


def fmt_int(x: float) -> str:
    return f"{x:,.0f}"


def fmt_ms(x: float) -> str:
    return f"{x:.2f} ms" if x < 100 else f"{x:,.0f} ms"


def fmt_mb(b: float) -> str:
    return f"{b / MIB:.1f} MB"


# --------------------------------------------------------------------------------------------
# Sections


class Budget:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def need(self, seconds: float, what: str) -> None:
        if self.left() < seconds:
            raise NotMeasured(f"time budget: {what} needs ~{seconds:.0f} s, {self.left():.0f} s left")


@contextlib.contextmanager
def guarded(rep: Report, keys: list[str]) -> Iterator[None]:
    """Run a section; on failure mark its still-unmeasured figures with the reason and go on."""
    try:
        yield
    except NotMeasured as exc:
        for key in keys:
            rep.miss(key, str(exc))
    except Exception as exc:  # a harness bug must not lose the other sections
        for key in keys:
            rep.miss(key, f"harness error {type(exc).__name__}: {exc}")
        rep.notes.append(f"Harness error in section {keys}: {type(exc).__name__}: {exc}")


def bench_throughput(rep: Report, budget: Budget, have_wrk: bool, have_prism: str | None) -> None:
    cfg = rep.cfg
    keys = ["create_floor", "create_prism", "create_p99", "publish_floor"]
    if not have_wrk:
        raise NotMeasured("wrk is not installed")
    n_runs = 4 * cfg.rounds
    budget.need(30 + 4 * cfg.warmup_s + n_runs * (cfg.round_s + 1), "throughput rounds")
    servers: dict[str, Server] = {}
    reasons: dict[str, str] = {}
    try:
        try:
            servers["ours"] = launch_ours(rep, "ours-throughput")
        except NotMeasured as exc:
            reasons["ours"] = str(exc)
        try:
            servers["floor"] = launch_floor()
        except NotMeasured as exc:
            reasons["floor"] = str(exc)
        if have_prism is None:
            try:
                servers["prism"] = launch_prism()
            except NotMeasured as exc:
                reasons["prism"] = str(exc)
        else:
            reasons["prism"] = have_prism

        # (label, server, lua script, tenant key, sanity request)
        plan: list[tuple[str, str, str, str, dict[str, Any]]] = [
            ("ours: create draft", "ours", "create_draft.lua", KEY, DRAFT_BODY),
            ("prism", "prism", "create_draft.lua", KEY, DRAFT_BODY),
            ("floor", "floor", "create_draft.lua", KEY, DRAFT_BODY),
            ("ours: publish_now", "ours", "publish_now.lua", PUBLISH_KEY, PUBLISH_BODY),
        ]
        runs: dict[str, list[WrkResult]] = {label: [] for label, *_ in plan}
        for label, srv, _script, key, body in plan:
            if srv not in servers:
                reasons.setdefault(label, reasons.get(srv, "server not started"))
                continue
            try:
                expect_2xx(servers[srv].port, "POST", "/v1/posts", body, key=key)
            except NotMeasured as exc:
                reasons[label] = str(exc)
        active = [p for p in plan if p[0] not in reasons and p[1] in servers]

        for _label, srv, script, key, _body in active:  # warm-up (JIT for Prism, caches for all)
            run_wrk(servers[srv].port, script, cfg.warmup_s, key=key)
        table = [
            "| round | server | req/s | p50 | p99 | max | non-2xx | socket errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        foreign = ForeignCpu()
        for rnd in range(1, cfg.rounds + 1):
            for label, srv, script, key, _body in active:
                if label in reasons:
                    continue
                try:
                    res = clean(run_wrk(servers[srv].port, script, cfg.round_s, key=key), label)
                except NotMeasured as exc:
                    reasons[label] = str(exc)
                    continue
                runs[label].append(res)
                table.append(
                    f"| {rnd} | {label} | {fmt_int(res.rps)} | {fmt_ms(res.p50_ms)} | {fmt_ms(res.p99_ms)} "
                    f"| {fmt_ms(res.max_ms)} | {res.non2xx} | {res.socket_errors} |"
                )
        summary = ["", "| server | median req/s | median p99 | RSS idle | RSS after |", "|---|---|---|---|---|"]
        for label, srv, *_ in plan:
            if runs[label]:
                s = servers[srv]
                summary.append(
                    f"| {label} | {fmt_int(statistics.median(r.rps for r in runs[label]))} "
                    f"| {fmt_ms(statistics.median(r.p99_ms for r in runs[label]))} | {fmt_mb(s.idle_rss)} "
                    f"| {fmt_mb(s.rss())} |"
                )
            else:
                summary.append(f"| {label} | not measured: {reasons.get(label, '?')} | | | |")
        busy = foreign.share()
        summary.append("")
        summary.append(f"Other processes on the machine used at least {busy:.0%} of a core during these rounds.")
        if busy > 0.05:
            rep.notes.append(f"Noisy run: other processes used {busy:.0%} of a core during the throughput rounds.")
        floor_runs = [r.rps for r in runs["floor"]]
        if len(floor_runs) > 1 and (max(floor_runs) - min(floor_runs)) > 0.15 * statistics.median(floor_runs):
            rep.notes.append(
                f"Noisy run: the floor's rounds ranged {fmt_int(min(floor_runs))}-{fmt_int(max(floor_runs))} req/s."
            )
        rep.section(
            f"Throughput: `wrk -t1 -c{CONNECTIONS} -d{cfg.round_s}s`, interleaved, {cfg.warmup_s} s warm-up each",
            table + summary,
        )
    finally:
        for s in servers.values():
            stop(s.proc)

    def median_rps(label: str) -> float:
        if not runs[label]:
            raise NotMeasured(reasons.get(label, "no run"))
        return statistics.median(r.rps for r in runs[label])

    with guarded(rep, ["create_floor", "create_prism", "create_p99"]):
        ours = median_rps("ours: create draft")
        p99 = statistics.median(r.p99_ms for r in runs["ours: create draft"])
        rep.set("create_p99", fmt_ms(p99), f"{p99 / 5:.2f} x limit", p99 < 5)
        with guarded(rep, ["create_floor"]):
            floor = median_rps("floor")
            rep.set(
                "create_floor", f"{fmt_int(ours)} req/s vs {fmt_int(floor)}", f"{ours / floor:.2f}", ours >= 0.5 * floor
            )
        with guarded(rep, ["create_prism"]):
            prism = median_rps("prism")
            rep.set(
                "create_prism", f"{fmt_int(ours)} req/s vs {fmt_int(prism)}", f"{ours / prism:.2f}", ours >= 2.0 * prism
            )
    with guarded(rep, ["publish_floor"]):
        pub = median_rps("ours: publish_now")
        floor = median_rps("floor")
        rep.set("publish_floor", f"{fmt_int(pub)} req/s vs {fmt_int(floor)}", f"{pub / floor:.2f}", pub >= 0.35 * floor)
    for key in keys:
        rep.miss(key, "see throughput section")


def bench_scale(rep: Report, budget: Budget, have_wrk: bool) -> None:
    """One fresh server, tenant sapi_key_bench: list at small N, first 10 s of creates, fill to the
    memory size (RSS, list again), fill to the decay size, creates again."""
    cfg = rep.cfg
    if not have_wrk:
        raise NotMeasured("wrk is not installed")
    budget.need(2 * cfg.decay_s + 2 * cfg.list_s + 30, "scale section")
    srv = launch_ours(rep, "ours-scale")
    steps = ["| step | posts stored (2xx) | result |", "|---|---|---|"]
    stored = 0
    list_small = list_large = None
    try:
        expect_2xx(srv.port, "POST", "/v1/posts", DRAFT_BODY)
        stored += 1
        rss0 = srv.rss()
        res = fill(srv.port, "create_draft.lua", cfg.list_small - stored, 60)
        stored += res.ok
        steps.append(f"| fill to {fmt_int(cfg.list_small)} | {fmt_int(stored)} | {fill_note(res)} |")
        with guarded(rep, ["list"]):
            expect_2xx(srv.port, "GET", LIST_PATH)
            list_small = clean(run_wrk(srv.port, "list_drafts.lua", cfg.list_s, path=LIST_PATH), "list")
            steps.append(
                f"| list at {fmt_int(stored)} | {fmt_int(stored)} | mean {fmt_ms(list_small.mean_ms)}, "
                f"{fmt_int(list_small.rps)} req/s |"
            )

        first = clean(run_wrk(srv.port, "create_draft.lua", cfg.decay_s), "create (first 10 s)")
        stored += first.ok
        steps.append(
            f"| create, first {cfg.decay_s} s | {fmt_int(stored)} | {fmt_int(first.rps)} req/s, "
            f"p99 {fmt_ms(first.p99_ms)} |"
        )

        # Seconds the clock and in-process sections will need, at this create rate.
        later = 40 + (cfg.clock_large + cfg.clock_small_reps * cfg.clock_small) / max(first.rps, 500.0) + 40
        cap = budget.left() - later - cfg.list_s - cfg.decay_s - 10
        res = fill(srv.port, "create_draft.lua", cfg.list_large - stored, cap)
        stored += res.ok
        steps.append(f"| fill to {fmt_int(cfg.list_large)} | {fmt_int(stored)} | {fill_note(res)} |")
        time.sleep(0.5)
        rss = srv.rss()
        short = "" if stored >= cfg.list_large else f"fill stopped at {fmt_int(stored)} posts (time budget)"
        per_post = (rss - rss0) / stored
        steps.append(
            f"| RSS at {fmt_int(stored)} | {fmt_int(stored)} | {fmt_mb(rss)} "
            f"({fmt_mb(rss - rss0)} over the idle server) |"
        )
        rep.set(
            "mem_post",
            f"{per_post:,.0f} B/post ({fmt_mb(rss)} at {fmt_int(stored)} posts)",
            f"{per_post / (3 * KIB):.2f} x limit",
            per_post <= 3 * KIB,
            incomplete=short,
        )
        with guarded(rep, ["list"]):
            if list_small is None:
                raise NotMeasured("list at the small size failed")
            # As at the small size, one untimed list first: the store merges the keys of posts created
            # since the last read when a list first reads them (once, core/store.py).
            expect_2xx(srv.port, "GET", LIST_PATH)
            list_large = clean(run_wrk(srv.port, "list_drafts.lua", cfg.list_s, path=LIST_PATH), "list")
            steps.append(
                f"| list at {fmt_int(stored)} | {fmt_int(stored)} | mean {fmt_ms(list_large.mean_ms)}, "
                f"{fmt_int(list_large.rps)} req/s |"
            )
            r = list_large.mean_ms / list_small.mean_ms
            rep.set(
                "list",
                f"mean {fmt_ms(list_large.mean_ms)} vs {fmt_ms(list_small.mean_ms)} (c{CONNECTIONS})",
                f"{r:.2f}",
                r <= 1.5,
                incomplete=short,
            )

        cap = budget.left() - later - cfg.decay_s - 5
        res = fill(srv.port, "create_draft.lua", cfg.decay_posts - stored, cap)
        stored += res.ok
        steps.append(f"| fill to {fmt_int(cfg.decay_posts)} | {fmt_int(stored)} | {fill_note(res)} |")
        late = clean(run_wrk(srv.port, "create_draft.lua", cfg.decay_s), "create (after fill)")
        steps.append(
            f"| create, {cfg.decay_s} s after {fmt_int(stored)} | {fmt_int(stored + late.ok)} | "
            f"{fmt_int(late.rps)} req/s, p99 {fmt_ms(late.p99_ms)} |"
        )
        r = late.rps / first.rps
        short = "" if stored >= cfg.decay_posts else f"fill stopped at {fmt_int(stored)} posts (time budget)"
        rep.set("decay", f"{fmt_int(late.rps)} req/s vs {fmt_int(first.rps)}", f"{r:.2f}", r >= 0.85, incomplete=short)
        steps.append(f"| RSS at the end | {fmt_int(stored + late.ok)} | {fmt_mb(srv.rss())} |")
    finally:
        stop(srv.proc)
        rep.section("Scale: one fresh server, drafts with two targets, tenant `sapi_key_bench`", steps)


def _clock_now(port: int, key: str) -> datetime:
    """The tenant's fake clock (each tenant has its own); the default start if it cannot be read."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
        status, data = http_call(port, "GET", "/_mock/clock", key=key)
        if status == 200:
            now = json.loads(data)["now"]
            return datetime.fromisoformat(now.replace("Z", "+00:00"))
    return DEFAULT_CLOCK_START


def bench_clock(rep: Report, budget: Budget, have_wrk: bool) -> None:
    """Fill N scheduled posts in their own tenant, then time one advance that fires them."""
    cfg = rep.cfg
    if not have_wrk:
        raise NotMeasured("wrk is not installed")
    budget.need(25 if cfg.quick else 40, "clock section")
    try:
        srv = launch_ours(rep, "ours-clock", ("--clock", "manual"))
    except NotMeasured as exc:
        rep.notes.append(f"Clock server with `--clock manual` did not start ({exc}); retried without it.")
        srv = launch_ours(rep, "ours-clock")
    rows = [
        "| tenant | scheduled (2xx counted) | fired | advance (HTTP round trip) | per post | posts/s |",
        "|---|---|---|---|---|---|",
    ]
    small: list[float] = []
    try:
        plan = [cfg.clock_small] * cfg.clock_small_reps + [cfg.clock_large]
        for i, n in enumerate(plan, start=1):
            key = f"sapi_key_clock_{n}_{i}"
            at = (_clock_now(srv.port, key) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            expect_2xx(srv.port, "POST", "/v1/posts", {**DRAFT_BODY, "scheduled_at": at}, key=key)
            cap = budget.left() - 20
            res = fill(srv.port, "schedule.lua", n - 1, cap, key=key, env_extra={"BENCH_SCHEDULED_AT": at})
            t0 = time.perf_counter()
            try:
                status, data = http_call(srv.port, "POST", "/_mock/clock/advance", {"to": at}, key=key, timeout=300)
            except OSError as exc:
                raise NotMeasured(f"POST /_mock/clock/advance failed: {exc}") from exc
            elapsed = time.perf_counter() - t0
            if status != 200:
                raise NotMeasured(f"POST /_mock/clock/advance answered {status}: {data[:200].decode(errors='replace')}")
            fired = len(json.loads(data).get("fired", []))
            if fired == 0:
                raise NotMeasured(f"advance to {at} fired no post ({1 + res.ok} scheduled)")
            per_post = elapsed / fired
            rows.append(
                f"| `{key}` | {fmt_int(1 + res.ok)} | {fmt_int(fired)} | {fmt_ms(elapsed * 1000)} | "
                f"{per_post * 1e6:.1f} us | {fmt_int(fired / elapsed)} |"
            )
            if n == cfg.clock_small:
                small.append(per_post)
            else:
                r = per_post / statistics.median(small)
                rep.set(
                    "clock_ratio",
                    f"{per_post * 1e6:.1f} us vs {statistics.median(small) * 1e6:.1f} us per post",
                    f"{r:.2f}",
                    r <= 1.5,
                    incomplete="" if fired >= n else f"only {fmt_int(fired)} fired",
                )
                rate = fired / elapsed
                rep.set(
                    "clock_rate",
                    f"{fmt_int(rate)} posts/s ({fmt_int(fired)} in {fmt_ms(elapsed * 1000)})",
                    f"{rate / 20_000:.2f}",
                    rate >= 20_000,
                )
    finally:
        stop(srv.proc)
        rep.section("Clock: one `POST /_mock/clock/advance` per row (median of the small ones is the base)", rows)


def bench_inprocess(rep: Report, budget: Budget) -> None:
    budget.need(30, "in-process section")
    argv = [PY, str(BENCH / "inprocess.py"), "--json", "--vs-floor", "-n", str(rep.cfg.inprocess_n)]
    argv = pinned(argv, SERVER_CPU)
    try:
        out = subprocess.run(
            argv, check=False, capture_output=True, text=True, cwd=ROOT, timeout=min(120.0, budget.left())
        )
    except subprocess.TimeoutExpired as exc:
        raise NotMeasured("bench/inprocess.py timed out") from exc
    lines = out.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError) as exc:
        raise NotMeasured(f"bench/inprocess.py failed ({out.returncode}): {out.stderr.strip()[-300:]}") from exc
    if not result.get("available"):
        raise NotMeasured(f"not available yet ({result.get('reason')})")
    med, floor = float(result["median_ms"]), float(result["floor_median_ms"])
    rep.set(
        "inprocess",
        f"median {med:.3f} ms vs {floor:.3f} ms (p99 {float(result['p99_ms']):.3f} ms, {result['n']} calls each)",
        f"{med / floor:.2f}",
        med <= 2 * floor,
    )


def settle_start_and_idle(rep: Report) -> None:
    if rep.start_samples_ms:
        s = rep.start_samples_ms
        med = statistics.median(s)
        rep.set(
            "start",
            f"median {med:.0f} ms, worst {max(s):.0f} ms ({len(s)} launches)",
            f"{med / 500:.2f}",
            max(s) <= 500,
        )
    else:
        rep.miss("start", "our server never answered")
    if rep.idle_rss:
        worst = max(rep.idle_rss)
        rep.set(
            "mem_idle",
            f"{fmt_mb(worst)} (worst of {len(rep.idle_rss)} launches)",
            f"{worst / (60 * MIB):.2f}",
            worst < 60 * MIB,
        )
    else:
        rep.miss("mem_idle", "our server never answered")


# --------------------------------------------------------------------------------------------
# Tools and machine


def _run_quiet(argv: list[str], timeout: float, env: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        out = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=timeout, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 1, str(exc)
    return out.returncode, (out.stdout + out.stderr).strip()


def ensure_wrk(rep: Report) -> bool:
    if shutil.which("wrk"):
        return True
    if not shutil.which("apt-get") or os.geteuid() != 0:
        rep.notes.append("wrk is missing and cannot be installed here (needs root and apt-get).")
        return False
    print("installing wrk (apt-get) ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    rc, out = _run_quiet(["apt-get", "update"], 300, env)
    if rc == 0:
        rc, out = _run_quiet(["apt-get", "install", "-y", "wrk"], 300, env)
    if rc != 0 or not shutil.which("wrk"):
        rep.notes.append(f"Installing wrk failed: {out[-300:]}")
        return False
    return True


def ensure_prism(rep: Report) -> str | None:
    """None when Prism is ready, else the reason it is not."""
    if PRISM_BIN.exists():
        return None
    if not shutil.which("npm"):
        reason = "npm is not installed, so Prism could not be installed"
        rep.notes.append(reason)
        return reason
    print(f"installing {PRISM_PACKAGE} under bench/_work ...", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    rc, out = _run_quiet(
        ["npm", "install", "--prefix", str(WORK), "--no-audit", "--no-fund", "--loglevel=error", PRISM_PACKAGE], 300
    )
    if rc != 0 or not PRISM_BIN.exists():
        reason = f"npm install {PRISM_PACKAGE} failed: {out[-300:]}"
        rep.notes.append(reason)
        return reason
    return None


def collect_versions(rep: Report, have_wrk: bool, prism_missing: str | None) -> None:
    v = rep.versions
    v["python"] = platform.python_version()
    for dist in ("uvicorn", "starlette", "uvloop", "httptools", "orjson", "pydantic", "socialapi"):
        try:
            v[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            v[dist] = "not installed"
    v["prism"] = "not installed"
    if prism_missing is None:
        rc, out = _run_quiet([str(PRISM_BIN), "--version"], 30)
        v["prism"] = out.splitlines()[-1] if rc == 0 and out else "unknown"
    v["wrk"] = "not installed"
    if have_wrk:
        _rc, out = _run_quiet(["wrk", "-v"], 10)
        m = re.search(r"wrk (\S+)", out)
        v["wrk"] = m.group(1) if m else "unknown"
    rc, out = _run_quiet(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], 10)
    rev = out if rc == 0 else "no commit"
    _rc, dirty = _run_quiet(["git", "-C", str(ROOT), "status", "--porcelain", "--", "mockserver"], 10)
    v["mockserver"] = f"{rev}{' + uncommitted changes' if dirty else ''}"


def machine() -> str:
    model = "unknown cpu"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().splitlines()[0].split()[1])
        mem = f", {kb / MIB:.0f} GB memory"
    return f"{model}, {os.cpu_count()} cores{mem}, Linux {platform.release()}"


# --------------------------------------------------------------------------------------------
# RESULTS.md


# Ends this harness's part of RESULTS.md, which is the top of the file; other benches own their own sections.
RESULTS_END = "<!-- /issue-7 -->"


def write_results(rep: Report, elapsed_s: float) -> None:
    cfg = rep.cfg
    out: list[str] = ["# Benchmark results (issue 7)", ""]
    if cfg.quick:
        out += ["> **Quick run** (`--quick`): short rounds and small fills, not the issue's sizes.", ""]
    out += [
        f"- Date: {rep.started:%Y-%m-%d %H:%M} UTC; run took {elapsed_s / 60:.1f} min (`make bench`).",
        f"- Machine: {machine()}.",
        "- Pinning: "
        + ("server on CPU 0, wrk (`-t1 -c16`) on CPU 1, with taskset." if Pinning.on else "none (no taskset/2nd CPU)."),
        "- Versions: " + ", ".join(f"{k} {val}" for k, val in rep.versions.items()) + ".",
    ]
    if cfg.server_cmd != OURS_CMD or cfg.server_args:
        out.append(f"- Server under test: `{shlex.join([*cfg.server_cmd, *cfg.server_args])}`.")
    out += [
        "",
        "Ratios are between figures measured in this run on this machine; absolute numbers vary by machine.",
        "",
        "## Targets",
        "",
        "| figure | measured | target | ratio | result |",
        "|---|---|---|---|---|",
    ]
    for fig in rep.figures.values():
        verdict = f"**{fig.verdict}**" if fig.verdict.startswith("FAIL") else fig.verdict
        out.append(f"| {fig.name} | {fig.measured} | {fig.target} | {fig.ratio} | {verdict} |")
    if any(fig.verdict.startswith("FAIL") for fig in rep.figures.values()):
        out += [
            "",
            "Where the time goes for the missed targets, and what would close them: [bench/PROFILE.md](PROFILE.md).",
        ]
    for title, lines in rep.sections:
        out += ["", f"## {title}", "", *lines]
    out += [
        "",
        "## Method",
        "",
        "- Throughput figures are the medians (req/s and p99) of the interleaved rounds. "
        "Only runs with no non-2xx answer and no socket error count.",
        "- Prism runs `prism mock -v error` (per-request logging off) on `bench/prism/openapi.yaml`; the floor is "
        "`bench/floor_app.py`.",
        "- Fills use wrk with a Lua `response()` counter that stops at the wanted number of 2xx answers "
        "(up to 15 more requests may be in flight when it stops).",
        "- Memory per post = (RSS after the fill - RSS before it) / posts stored, RSS being VmRSS summed over the "
        "server's process group; KB and MB are 1,024 and 1,048,576 bytes.",
        "- List time is wrk's mean latency at 16 connections (server saturated), so the ratio is the ratio of "
        "per-request service times.",
        "- Clock: per-post cost = wall time of the whole HTTP call to `/_mock/clock/advance` / posts fired.",
        "- Start: from process launch to the first 200 of `GET /v1/accounts`, polled every 5 ms.",
    ]
    if rep.notes:
        out += ["", "## Notes", "", *[f"- {n}" for n in rep.notes]]
    # Only this harness's part of the file is replaced: the other benches keep their sections.
    ours = "\n".join(out).rstrip("\n")
    current = cfg.output.read_text() if cfg.output.exists() else ""
    if RESULTS_END in current:
        rest = current[current.index(RESULTS_END) + len(RESULTS_END) :].lstrip("\n")
    elif current.startswith(out[0]) and "\n## Inspector" in current:  # written before the marker existed
        rest = current[current.index("\n## Inspector") + 1 :]
    else:
        rest = current
    cfg.output.write_text(ours + "\n" + RESULTS_END + "\n" + ("\n" + rest if rest else ""))


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Issue 7 benchmark harness; writes bench/RESULTS.md.")
    parser.add_argument("--quick", action="store_true", help="short rounds and small fills (smoke test)")
    parser.add_argument("--budget", type=float, default=560.0, help="seconds for the whole run (default 560)")
    parser.add_argument("--server-arg", action="append", default=[], help="extra flag for `mockserver serve`")
    parser.add_argument("--server-cmd", default=None, help="command of the server under test ({port} is replaced)")
    parser.add_argument("--output", default=str(BENCH / "RESULTS.md"))
    cfg = Config.from_args(parser.parse_args(argv))

    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    started = datetime.now(UTC)
    t0 = time.monotonic()
    budget = Budget(cfg.budget_s)
    rep = Report(cfg, started)
    define_figures(rep)

    Pinning.on = shutil.which("taskset") is not None and {SERVER_CPU, CLIENT_CPU} <= os.sched_getaffinity(0)
    if Pinning.on:
        os.sched_setaffinity(0, {CLIENT_CPU})  # this driver stays off the server's CPU
    else:
        rep.notes.append("Not pinned: taskset or a second CPU is missing; figures are noisier.")

    # Start-up is measured as an installed package starts: from compiled bytecode (pip compiles on
    # install). A shell with PYTHONDONTWRITEBYTECODE set would otherwise recompile every module of
    # every launch, which is not what users see.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(str(ROOT / "mockserver"), quiet=1)

    whole_run = ForeignCpu()
    try:
        have_wrk = ensure_wrk(rep)
        prism_missing = ensure_prism(rep)
        collect_versions(rep, have_wrk, prism_missing)
        sections: list[tuple[str, list[str], Callable[[], None]]] = [
            (
                "throughput",
                ["create_floor", "create_prism", "create_p99", "publish_floor"],
                lambda: bench_throughput(rep, budget, have_wrk, prism_missing),
            ),
            # Before the long fills: short, and a ratio of its own, it should not be what the budget cuts.
            ("in process", ["inprocess"], lambda: bench_inprocess(rep, budget)),
            ("scale", ["mem_post", "list", "decay"], lambda: bench_scale(rep, budget, have_wrk)),
            ("clock", ["clock_ratio", "clock_rate"], lambda: bench_clock(rep, budget, have_wrk)),
        ]
        for name, keys, run in sections:
            print(f"[{time.monotonic() - t0:5.0f} s] {name} ...", flush=True)
            with guarded(rep, keys):
                run()
        settle_start_and_idle(rep)
    except BaseException as exc:  # Ctrl-C, SIGTERM: still clean up and write what was measured
        rep.notes.insert(0, f"**Run interrupted** ({type(exc).__name__}); figures after that point are missing.")
        raise
    finally:
        stop_all()
        busy = whole_run.share()
        rep.notes.append(
            f"Other processes on the machine used at least {busy:.0%} of a core over the whole run"
            + (" (figures are noisy; rerun on a quiet machine)." if busy > 0.05 else ".")
        )
        write_results(rep, time.monotonic() - t0)
    print(f"[{time.monotonic() - t0:5.0f} s] wrote {cfg.output}")
    for fig in rep.figures.values():
        print(f"  {fig.verdict[:70]:<70} {fig.name}: {fig.measured}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
