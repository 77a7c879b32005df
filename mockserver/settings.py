"""Server settings: one frozen object, built from CLI arguments over ``MOCKSERVER_*`` variables."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from mockserver.core.clock import wall_minute
from mockserver.core.timefmt import MAX_INSTANT, parse_instant
from mockserver.core.versions import API_VERSIONS, DEFAULT_API_VERSION, generation

DEFAULT_START = datetime(2026, 1, 1, tzinfo=UTC)
# Ids encode milliseconds since the epoch; earlier starts have no id.
EARLIEST_START = datetime(1970, 1, 1, tzinfo=UTC)
ENV_PREFIX = "MOCKSERVER_"
# The start-time spelling that means "the wall clock's current minute" (CLI, variable and marker).
START_NOW = "now"


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    fixtures_dir: Path | None = None
    seed: int = 0
    clock: str = "manual"  # manual | realtime
    speed: float = 1.0  # fake seconds per wall second, with clock="realtime"
    start_time: datetime = DEFAULT_START
    scenario_files: tuple[Path, ...] = ()
    journal_size: int = 1000
    events_size: int = 10_000
    # sync | async; None takes the API version's own (2026-06-22 sync, 2026-08-22 async).
    publish_mode: str | None = None
    api_version: str = DEFAULT_API_VERSION
    control_token: str | None = None
    # Host names besides loopback that may reach /_mock without a control token ("*": any).
    allowed_hosts: tuple[str, ...] = ()
    # The base URL clients reach the mock at, for the URLs it hands out (auth_url, upload, media, sink
    # URLs); None: each request's own scheme and host.
    public_url: str | None = None
    # A non-loopback --host without a control token: "warn" starts with a warning, "refuse" does not start.
    open_control: str = "warn"
    state_file: Path | None = None
    max_body_bytes: int = 1024 * 1024
    tick_seconds: float = 0.5
    access_log: bool = False
    log_format: str = "text"  # text | json
    watch: bool = False
    # Refuse bodies with unknown keys or coerced values (400) instead of warning in X-Mock-Warnings.
    strict: bool = False
    # Caps and timeouts (docs/reliability.md lists them with their reasons).
    max_tenants: int = 10_000
    max_media_bytes: int = 2 * 1024 * 1024 * 1024
    limit_concurrency: int = 512
    request_timeout: float = 30.0
    shutdown_timeout: float = 10.0
    state_save_interval: float = 0.0
    max_header_bytes: int = 64 * 1024
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def effective_publish_mode(self) -> str:
        return self.publish_mode or generation(self.api_version).publish_mode

    def __post_init__(self) -> None:
        if self.clock not in ("manual", "realtime"):
            raise ValueError(f"--clock must be manual or realtime, not {self.clock!r}")
        if not self.speed > 0 or self.speed == float("inf"):
            raise ValueError(f"--speed must be a positive number, not {self.speed}")
        if self.speed != 1 and self.clock != "realtime":
            raise ValueError("--speed needs --clock realtime (a manual clock moves only when told to)")
        if self.publish_mode not in (None, "sync", "async"):
            raise ValueError(f"--publish-mode must be sync or async, not {self.publish_mode!r}")
        if self.api_version not in API_VERSIONS:
            raise ValueError(f"--api-version must be one of {', '.join(API_VERSIONS)}, not {self.api_version!r}")
        if self.public_url is not None:
            _check_public_url(self.public_url)
        if self.open_control not in ("warn", "refuse"):
            raise ValueError(f"--open-control must be warn or refuse, not {self.open_control!r}")
        if self.open_control == "refuse" and self.control_token is None and not is_loopback(self.host):
            raise ValueError(
                f"--host {self.host} is reachable from other machines and there is no control token, so anyone "
                "who can reach the port could reset or read every tenant: set MOCKSERVER_CONTROL_TOKEN "
                "(--control-token), listen on 127.0.0.1, or accept an open control plane with "
                "MOCKSERVER_OPEN_CONTROL=warn (--open-control warn)"
            )
        if self.start_time.tzinfo is None:
            raise ValueError("--start-time needs a UTC offset, e.g. 2026-01-01T00:00:00Z")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"--port must be between 0 and 65535, not {self.port}")
        if self.log_format not in ("text", "json"):
            raise ValueError(f"--log-format must be text or json, not {self.log_format!r}")
        if self.journal_size < 0:
            raise ValueError("--journal-size must not be negative")
        if not EARLIEST_START <= self.start_time <= MAX_INSTANT:
            raise ValueError("--start-time must lie between 1970-01-01 and 9999-12-31")
        for name in ("max_tenants", "limit_concurrency", "max_header_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"--{name.replace('_', '-')} must be at least 1")
        for name in ("max_media_bytes", "state_save_interval"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{name.replace('_', '-')} must not be negative")
        for name in ("request_timeout", "shutdown_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"--{name.replace('_', '-')} must be positive")


def start_instant(text: str) -> datetime:
    """An RFC 3339 instant, or ``now``: the wall clock's current minute, read once at start."""
    if text.strip().lower() == START_NOW:
        return wall_minute()
    return parse_instant(text)


def _check_public_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"--public-url must be an http(s) base URL such as https://mock.example:8080, not {url!r}")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a --host value) listens on this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def env_name(option: str) -> str:
    """``port-file`` -> ``MOCKSERVER_PORT_FILE``: the variable that sets an option's default."""
    return ENV_PREFIX + option.upper().replace("-", "_")


def env_default(environ: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    return environ.get(env_name(name), default)
