"""``socialapi-mock healthcheck``: is a running mock ready? For container HEALTHCHECKs and CI scripts.

Only the standard library, so the probe starts fast and needs no curl in the image.
"""

from __future__ import annotations

import ipaddress
import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from mockserver.settings import env_name


def probe_url(*, url: str | None, port_file: Path | None, environ: Mapping[str, str]) -> str:
    """The base URL to ask: ``--url``, else the port in ``--port-file``, else ``$MOCKSERVER_PORT`` or 8080."""
    if url:
        return url.rstrip("/")
    if port_file is not None:
        port = port_file.read_text(encoding="utf-8").strip()
        if not port.isdigit():
            raise ValueError(f"{port_file} holds {port[:20]!r}, not a port number")
    else:
        port = environ.get(env_name("port"), "8080")
    return f"http://127.0.0.1:{port}"


def _opener(base: str) -> urllib.request.OpenerDirector:
    """A proxy never stands between the probe and a loopback mock: it cannot reach this machine's
    loopback, so going through ``http_proxy`` would call a ready mock unreachable."""
    if _is_loopback(urlsplit(base).hostname or ""):
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener()


def _is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def ask_ready(base: str, timeout: float) -> tuple[bool, str]:
    """(ready?, what the server or the network said)."""
    try:
        with _opener(base).open(f"{base}/_mock/ready", timeout=timeout) as response:
            return True, _status_of(response.read())
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code} {_status_of(exc.read())}".rstrip()
    except (urllib.error.URLError, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        return False, f"cannot connect: {reason}"


def _status_of(body: bytes) -> str:
    try:
        return str(json.loads(body).get("status", ""))
    except (ValueError, AttributeError):
        return ""


def check_ready(
    *, url: str | None, port_file: Path | None, timeout: float, wait: float, environ: Mapping[str, str]
) -> int:
    """0 if the mock answers ready (within ``wait`` seconds, if given), else 1; one line on why."""
    deadline = time.monotonic() + wait
    while True:
        try:
            base = probe_url(url=url, port_file=port_file, environ=environ)
        except (OSError, ValueError) as exc:
            base, ready, said = "", False, f"no port yet: {exc}"
        else:
            ready, said = ask_ready(base, timeout)
        if ready:
            print(f"ready: {base}")
            return 0
        if time.monotonic() >= deadline:
            print(f"not ready: {base or port_file}: {said}", file=sys.stderr)
            return 1
        time.sleep(0.1)
