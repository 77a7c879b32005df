"""``socialapi-mock``: argparse → Settings → MockServer → uvicorn. Nothing else lives here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from mockserver.core.errors import ScenarioInvalid
from mockserver.core.timefmt import parse_instant
from mockserver.loading.fixtures import FixtureError
from mockserver.loading.scenarios import read_scenario_file
from mockserver.settings import DEFAULT_START, Settings, env_default


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}") from None


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a number of fake seconds per wall second") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: the speed must be a positive number")
    return value


def _parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialapi-mock", description="Offline mock of the SocialAPI.AI API")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock API")
    serve.add_argument("--host", default=env_default(environ, "host", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(env_default(environ, "port", "8080") or 8080))
    serve.add_argument("--fixtures", type=Path, default=env_default(environ, "fixtures"), metavar="DIR")
    serve.add_argument("--seed", type=int, default=int(env_default(environ, "seed", "0") or 0))
    serve.add_argument("--clock", choices=("manual", "realtime"), default=env_default(environ, "clock", "manual"))
    serve.add_argument(
        "--speed",
        type=_speed,
        default=_speed(env_default(environ, "speed", "1") or "1"),
        metavar="N",
        help="with --clock realtime, fake seconds per wall second, e.g. 60 to watch an hour pass in a minute "
        "(default: 1; env MOCKSERVER_SPEED)",
    )
    serve.add_argument(
        "--start-time",
        type=_instant,
        default=_instant(env_default(environ, "start_time") or "") if env_default(environ, "start_time") else None,
        metavar="RFC3339",
    )
    serve.add_argument("--scenario", type=Path, action="append", default=[], metavar="FILE")
    serve.add_argument("--journal-size", type=int, default=int(env_default(environ, "journal_size", "1000") or 0))
    serve.add_argument(
        "--publish-mode", choices=("sync", "async"), default=env_default(environ, "publish_mode", "sync")
    )
    serve.add_argument("--control-token", default=env_default(environ, "control_token"), metavar="TOKEN")
    serve.add_argument("--state-file", type=Path, default=env_default(environ, "state_file"), metavar="PATH")
    serve.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))
    _add_limits(serve, environ)
    check = commands.add_parser("check-scenario", help="validate scenario files without serving")
    check.add_argument("files", type=Path, nargs="+", metavar="FILE")
    return parser


# Caps and timeouts: (option, type, default, what it bounds). docs/reliability.md explains each.
LIMIT_OPTIONS: tuple[tuple[str, type[int] | type[float], int | float, str], ...] = (
    ("max-tenants", int, 10_000, "API keys served at once; a new key past it gets 429 mock.tenant_limit"),
    ("max-media-bytes", int, 2 * 1024**3, "uploaded media bytes held across all tenants (429 mock.media_limit)"),
    ("limit-concurrency", int, 512, "open connections and requests at once; more get 503"),
    ("request-timeout", float, 30.0, "seconds a client may take to send a request's body (then 408)"),
    ("max-header-bytes", int, 64 * 1024, "bytes of request line and headers (then 431)"),
    ("shutdown-timeout", float, 10.0, "seconds SIGTERM waits for requests in flight before the state is saved"),
    ("state-save-interval", float, 0.0, "seconds between periodic saves of --state-file; 0 saves only on stop"),
)


def _add_limits(parser: argparse.ArgumentParser, environ: Mapping[str, str]) -> None:
    for name, kind, default, what in LIMIT_OPTIONS:
        variable = "MOCKSERVER_" + name.upper().replace("-", "_")
        given = env_default(environ, name)
        try:
            value = kind(given) if given is not None else default
        except ValueError:
            parser.error(f"{variable}={given!r} is not a number")
        parser.add_argument(
            f"--{name}",
            type=kind,
            default=value,
            metavar="N" if kind is int else "SECONDS",
            help=f"{what} (default {default:,}; env {variable})",
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
        state_file=Path(args.state_file) if args.state_file else None,
        **{name.replace("-", "_"): getattr(args, name.replace("-", "_")) for name, *_ in LIMIT_OPTIONS},
    )


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    args = _parser(environ).parse_args(argv)
    if args.command == "check-scenario":
        return _check(args.files)
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
    from mockserver.serve import run

    try:
        return run(server, log_level=args.log_level)
    except StateFileError as exc:
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
