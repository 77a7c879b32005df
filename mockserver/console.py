"""What ``serve`` tells its operator on stderr: the start banner, warnings, reload reports.

Text for people, or one JSON object per line with ``--log-format json`` (for log collectors).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import orjson

from mockserver._version import __version__
from mockserver.api.access_log import log_time
from mockserver.core.timefmt import format_instant
from mockserver.loading.fixtures import default_fixtures_dir
from mockserver.mock import MockServer
from mockserver.settings import is_loopback

OPEN_CONTROL_WARNING = (
    "--host {host} is reachable from other machines and there is no --control-token: anyone who can "
    "reach the port can reset or read every tenant; pass --control-token or listen on 127.0.0.1"
)


@dataclass(frozen=True, slots=True)
class Console:
    json_lines: bool = False
    quiet: bool = False

    def banner(self, server: MockServer, url: str) -> None:
        if self.quiet:
            return
        facts = banner_facts(server, url)
        if self.json_lines:
            self._json("ready", facts)
            return
        lines = [f"socialapi-mock {__version__} ready on {url}"]
        lines += [f"  {label:<11} {value}" for label, value in banner_rows(facts)]
        self._write("\n".join(lines))

    def note(self, message: str) -> None:
        if self.quiet:
            return
        if self.json_lines:
            self._json("note", {"message": message})
        else:
            self._write(f"socialapi-mock: {message}")

    def warn(self, message: str) -> None:
        """Printed even with ``--quiet``: a warning is about safety, not chatter."""
        if self.json_lines:
            self._json("warning", {"message": message})
        else:
            self._write(f"socialapi-mock: warning: {message}")

    def _json(self, event: str, fields: dict[str, Any]) -> None:
        record = {"time": log_time(), "event": event, **fields}
        self._write(orjson.dumps(record).decode())

    def _write(self, text: str) -> None:
        # sys.stderr is looked up at each write: tests and embedders may swap it.
        print(text, file=sys.stderr, flush=True)


def banner_facts(server: MockServer, url: str) -> dict[str, Any]:
    settings = server.settings
    fixtures = server.fixtures
    return {
        "version": __version__,
        "url": url,
        "inspector": inspector_url(url),
        "fixtures": {
            "dir": str(settings.fixtures_dir or default_fixtures_dir()),
            "bundled": settings.fixtures_dir is None,
            "accounts": len(fixtures.baseline.accounts),
            "media": len(fixtures.baseline.media),
            "tenant_plans": len(fixtures.tenants),
        },
        "scenarios": [
            {"name": doc.name, "file": str(path)}
            for doc, path in zip(server.scenarios, settings.scenario_files, strict=False)
        ],
        "seed": settings.seed,
        "clock": {"mode": settings.clock, "start": format_instant(settings.start_time)},
        "api_version": settings.api_version,
        "publish_mode": settings.effective_publish_mode,
        "strict": settings.strict,
        "control_token": settings.control_token is not None,
        "state_file": str(settings.state_file) if settings.state_file else None,
        "tenants": len(list(server.tenants())),
        "watch": settings.watch,
    }


def inspector_url(url: str) -> str:
    """The page to open first: the README's first line sends people there."""
    return f"{url}/_mock/ui"


def banner_rows(facts: dict[str, Any]) -> list[tuple[str, str]]:
    fixtures = facts["fixtures"]
    where = f"{fixtures['dir']}{' (bundled)' if fixtures['bundled'] else ''}"
    scenarios = ", ".join(f"{s['name']} ({s['file']})" for s in facts["scenarios"]) or "none"
    url = facts["url"]
    return [
        ("inspector", facts["inspector"]),
        (
            "fixtures",
            f"{where}: {_count(fixtures['accounts'], 'account')}, {fixtures['media']} media, "
            f"{_count(fixtures['tenant_plans'], 'tenant plan')}",
        ),
        ("scenarios", scenarios),
        ("seed", str(facts["seed"])),
        ("clock", f"{facts['clock']['mode']}, starting {facts['clock']['start']}"),
        (
            "api",
            f"version {facts['api_version']}, publishing {facts['publish_mode']}"
            f"{', strict (unknown fields refused)' if facts['strict'] else ''}",
        ),
        ("control", "token required (X-Mock-Token)" if facts["control_token"] else "open (no --control-token)"),
        (
            "state file",
            f"{facts['state_file']} ({_count(facts['tenants'], 'tenant')} restored)" if facts["state_file"] else "none",
        ),
        ("reload", "on change (--watch), or POST /_mock/reload" if facts["watch"] else "POST /_mock/reload"),
        ("probes", f"{url}/_mock/health  {url}/_mock/ready"),
        ("docs", f"{url}/openapi.json"),
    ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def open_control_warning(server: MockServer) -> str | None:
    """The warning for a server others can reach whose control plane needs no token, else None."""
    settings = server.settings
    if settings.control_token is None and not is_loopback(settings.host):
        return OPEN_CONTROL_WARNING.format(host=settings.host)
    return None
