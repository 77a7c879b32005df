"""``socialapi-mock``: argparse → Settings → MockServer → uvicorn. Nothing else lives here."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from mockserver._version import __version__
from mockserver.core.errors import ScenarioInvalid
from mockserver.core.versions import API_VERSIONS, DEFAULT_API_VERSION, LATEST_ALIAS, resolve_version
from mockserver.loading.fixtures import FixtureError
from mockserver.loading.scenarios import read_scenario_file
from mockserver.settings import DEFAULT_START, START_NOW, Settings, env_name, start_instant

TRUE = ("1", "true", "yes", "on")


def _instant(text: str) -> datetime:
    try:
        return start_instant(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}; or {START_NOW!r} for the current minute") from None


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a number of fake seconds per wall second") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: the speed must be a positive number")
    return value


def _api_version(text: str) -> str:
    version = resolve_version(text)
    if version not in API_VERSIONS:
        raise argparse.ArgumentTypeError(f"{text!r}: one of {', '.join(API_VERSIONS)} or {LATEST_ALIAS}")
    return version


SWITCH = {"on": True, "off": False, "true": True, "false": False, "1": True, "0": False}


def _switch(text: str) -> bool:
    value = SWITCH.get(text.strip().lower())
    if value is None:
        raise argparse.ArgumentTypeError(f"{text!r}: expected on or off")
    return value


class _Options:
    """Adds options whose default can come from ``MOCKSERVER_<OPTION>`` and whose help names both.

    The environment value is handed to argparse as a string default, so argparse converts and
    checks it exactly as it would the flag (``MOCKSERVER_PORT=x`` is refused like ``--port x``).
    """

    def __init__(self, parser: argparse.ArgumentParser, environ: Mapping[str, str]) -> None:
        self.parser = parser
        self.environ = environ

    def add(
        self,
        flag: str,
        help: str,
        *,
        default: Any = None,
        shown: str | None = None,
        type: Callable[[str], Any] = str,
        **kwargs: Any,
    ) -> None:
        name = env_name(flag.lstrip("-"))
        given = self.environ.get(name)
        shown = shown if shown is not None else ("none" if default is None else str(default))
        self.parser.add_argument(
            flag,
            type=type,
            default=default if given is None else given,
            help=f"{help} (default: {shown}; env {name})",
            **kwargs,
        )

    def flag(self, flag: str, help: str) -> None:
        """An on/off switch; the variable is on when it is one of 1, true, yes, on."""
        name = env_name(flag.lstrip("-"))
        on = self.environ.get(name, "").strip().lower() in TRUE
        self.parser.add_argument(flag, action="store_true", default=on, help=f"{help} (default: off; env {name}=1)")


def _parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialapi-mock", description="Offline mock of the SocialAPI.AI API")
    parser.add_argument("--version", action="version", version=f"socialapi-mock {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock API")
    option = _Options(serve, environ)
    option.add("--host", "address to listen on; 0.0.0.0 for every interface", default="127.0.0.1")
    option.add("--port", "port to listen on; 0 picks a free port (the banner names it)", default=8080, type=int)
    option.add("--port-file", "write the port, once listening, to this file (for scripts)", type=Path, metavar="PATH")
    option.add("--fixtures", "directory of fixture files", type=Path, metavar="DIR", shown="the bundled fixtures")
    option.add("--seed", "seed of ids and scenario randomness", default=0, type=int)
    option.add(
        "--clock",
        "manual: moves only via /_mock/clock; realtime: follows wall time",
        default="manual",
        choices=("manual", "realtime"),
    )
    option.add(
        "--speed",
        "with --clock realtime, fake seconds per wall second, e.g. 60 to watch an hour pass in a minute",
        default=1.0,
        type=_speed,
        metavar="N",
        shown="1",
    )
    option.add(
        "--start-time",
        f"the clock's first instant; {START_NOW} starts at the wall clock's current minute",
        type=_instant,
        metavar="RFC3339|now",
        shown=DEFAULT_START.isoformat().replace("+00:00", "Z"),
    )
    scenario_var = env_name("scenario")
    serve.add_argument(
        "--scenario",
        type=Path,
        action="append",
        default=[Path(p) for p in environ.get(scenario_var, "").split(os.pathsep) if p],
        metavar="FILE",
        help=f"activate a scenario file for every tenant; repeatable "
        f"(default: none; env {scenario_var}, several separated by {os.pathsep!r})",
    )
    option.add("--journal-size", "requests kept per tenant for GET /_mock/requests", default=1000, type=int)
    option.add(
        "--publish-mode",
        "answer publish_now and POST /v1/posts/{pid}/publish synchronously (the outcome) or asynchronously "
        "(201 publishing, the outcome at the next clock advance), overriding the API version's own",
        choices=("sync", "async"),
        shown="the version's: sync for 2026-06-22, async for 2026-08-22",
    )
    option.add(
        "--api-version",
        "the API generation to imitate: status codes, publish mode and the other differences listed in "
        "docs/api-versions.md; latest names the newest",
        default=DEFAULT_API_VERSION,
        type=_api_version,
        metavar="{" + ",".join((*API_VERSIONS, LATEST_ALIAS)) + "}",
    )
    for name, what in (
        ("request-limit", "the request rate limit per minute (429 ratelimit.exceeded, X-RateLimit-* headers)"),
        ("velocity-caps", "the posting velocity caps per publish target (429 publishing.velocity_limit, holds)"),
    ):
        option.add(
            f"--{name}",
            f"{what}, on the tenant's fake clock; PATCH /_mock/tenant switches it per tenant",
            type=_switch,
            metavar="on|off",
            shown="the version's: on for 2026-10-02, off for the older ones",
        )
    option.add("--control-token", "require this X-Mock-Token on every /_mock call", metavar="TOKEN")
    hosts_var = env_name("allowed-host")
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=[h.strip() for h in environ.get(hosts_var, "").split(",") if h.strip()],
        metavar="NAME",
        help="without --control-token, a Host name besides localhost and loopback addresses that may call "
        "/_mock and open the inspector (others get 403, against DNS rebinding); repeatable; '*' allows any "
        f"(default: none; env {hosts_var}, several separated by ',')",
    )
    option.add(
        "--open-control",
        "with a --host other machines can reach and no --control-token: warn (start, printing a warning) or "
        "refuse (do not start; the container image's default)",
        default="warn",
        choices=("warn", "refuse"),
    )
    option.add(
        "--public-url",
        "the base URL clients reach the mock at, used for the URLs it hands out (auth_url, upload, media and "
        "sink URLs)",
        metavar="URL",
        shown="the request's own scheme and Host",
    )
    option.add("--state-file", "load every tenant from this file at start, save at stop", type=Path, metavar="PATH")
    option.add(
        "--log-level",
        "uvicorn's log level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug"),
    )
    option.flag(
        "--strict",
        "refuse a request body with unknown fields or coerced values (400 validation.unknown_field or "
        "validation.invalid_type) instead of answering with X-Mock-Warnings; a request can ask for it with "
        "the header X-Mock-Strict: 1",
    )
    option.flag("--quiet", "do not print the start banner")
    option.flag("--access-log", "print one line per request: method, path, status, ms, request id, tenant")
    option.add("--log-format", "format of the banner and access log lines", default="text", choices=("text", "json"))
    option.flag("--watch", "reload the fixtures and --scenario files when they change")
    for name, kind, default, what in LIMIT_OPTIONS:
        option.add(
            f"--{name}",
            what,
            default=default,
            type=kind,
            metavar="N" if kind is int else "SECONDS",
            shown=f"{default:,}",
        )

    check = commands.add_parser("check-scenario", help="validate scenario files without serving")
    check.add_argument("files", type=Path, nargs="+", metavar="FILE")

    probe = commands.add_parser("healthcheck", help="exit 0 if a running mock is ready, else 1 (no curl needed)")
    option = _Options(probe, environ)
    option.add("--url", "the mock's base URL", metavar="URL", shown="http://127.0.0.1:$MOCKSERVER_PORT or :8080")
    option.add("--port-file", "read the port from this file (written by serve --port-file)", type=Path, metavar="PATH")
    option.add("--timeout", "seconds to wait for one answer", default=3.0, type=float, metavar="S")
    option.add("--wait", "keep asking until ready for up to this many seconds", default=0.0, type=float, metavar="S")
    return parser


# Caps and timeouts: (option, type, default, what it bounds). docs/reliability.md explains each.
LIMIT_OPTIONS: tuple[tuple[str, type[int] | type[float], int | float, str], ...] = (
    ("max-tenants", int, 10_000, "API keys served at once; a new key past it gets 429 mock.tenant_limit"),
    ("max-media-bytes", int, 2 * 1024**3, "uploaded media bytes held across all tenants (429 mock.media_limit)"),
    ("limit-concurrency", int, 512, "requests being answered at once (not those still arriving); more get 503"),
    ("request-timeout", float, 30.0, "seconds a client may take to send a request's body (then 408)"),
    ("max-header-bytes", int, 64 * 1024, "bytes of request line and headers (then 431)"),
    ("shutdown-timeout", float, 10.0, "seconds SIGTERM waits for requests in flight before the state is saved"),
    ("state-save-interval", float, 0.0, "seconds between periodic saves of --state-file; 0 saves only on stop"),
)


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(
        host=args.host,
        port=args.port,
        fixtures_dir=Path(args.fixtures) if args.fixtures else None,
        seed=args.seed,
        clock=args.clock,
        speed=args.speed,
        start_time=args.start_time or DEFAULT_START,
        scenario_files=tuple(args.scenario),
        journal_size=args.journal_size,
        publish_mode=args.publish_mode,
        control_token=args.control_token,
        allowed_hosts=tuple(args.allowed_host),
        public_url=args.public_url,
        open_control=args.open_control,
        state_file=Path(args.state_file) if args.state_file else None,
        access_log=args.access_log,
        log_format=args.log_format,
        watch=args.watch,
        strict=args.strict,
        api_version=args.api_version,
        request_limit=args.request_limit,
        velocity_caps=args.velocity_caps,
        **{name.replace("-", "_"): getattr(args, name.replace("-", "_")) for name, *_ in LIMIT_OPTIONS},
    )


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    args = _parser(environ).parse_args(argv)
    if args.command == "check-scenario":
        return _check(args.files)
    if args.command == "healthcheck":
        from mockserver.healthcheck import check_ready

        return check_ready(
            url=args.url, port_file=args.port_file, timeout=args.timeout, wait=args.wait, environ=environ
        )
    # Loading the server makes most of what the process keeps (500 modules, the fixtures); the collector
    # would walk all of it again at every pass, about 40 ms of each start. It is paused until serve's
    # tune_gc() freezes what was loaded and turns it back on (or until a start that fails returns).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _serve(args)
    finally:
        if collecting:
            gc.enable()


def _serve(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
        # Imported here rather than at the top: --help and check-scenario start without the server's
        # dependencies (starlette, uvicorn), which cost more than the rest of the CLI together.
        from mockserver.mock import MockServer

        server = MockServer(settings)
    except (ValueError, FixtureError, ScenarioInvalid) as exc:
        print(f"socialapi-mock: {exc}", file=sys.stderr)
        return 2
    from mockserver.api.state import StateFileError
    from mockserver.console import Console
    from mockserver.serve import run

    console = Console(json_lines=args.log_format == "json", quiet=args.quiet)
    try:
        return run(server, log_level=args.log_level, console=console, port_file=args.port_file)
    except (StateFileError, OSError) as exc:
        print(f"socialapi-mock: {exc}", file=sys.stderr)
        return 2


def _check(files: Sequence[Path]) -> int:
    failed = 0
    for path in files:
        try:
            document = read_scenario_file(path)
        except ScenarioInvalid as exc:
            failed += 1
            print(f"FAIL {exc}", file=sys.stderr)
        else:
            print(f"ok   {path}: {document.name}")
    return 1 if failed else 0
