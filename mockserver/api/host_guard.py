"""Keeps web pages on other origins off an unguarded control plane (DNS rebinding).

A page a developer visits can make the browser send requests to the mock's port under the page's
own host name, once that name resolves to the mock's address. The browser then reads the answers
as same-origin. Without a control token, the ``Host`` header is the one thing such a request cannot
fake: so a ``/_mock`` call (and the inspector) whose ``Host`` is neither a loopback name or address
nor a name given with ``--allowed-host`` answers 403. So does one whose ``Origin`` (which browsers
send with cross-origin requests and with every same-origin one but GET and HEAD) names any other
host: a page on another origin cannot make the browser post to ``127.0.0.1`` either, where it could
not read the answer but could still reset or advance a tenant. The public ``/v1`` API needs an API
key, and the probes and capability URLs (consent page, uploads, media content, sink receiver) carry
no control-plane data, so they are not guarded.

The guard sits on the listening socket only (``serve.py``): an in-process client, such as the pytest
plugin's, is no socket a browser could reach.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.api.http import valid_request_id
from mockserver.api.server import Server
from mockserver.api.shapes.common import ErrorOut, wire_json

CONTROL_PREFIX = "/_mock/"
LOOPBACK_NAMES = frozenset({"localhost"})
# ``--allowed-host '*'``: every host may reach the control plane (a deliberate opt-out).
ANY_HOST = "*"
STATUS = 403
CODE = "auth.host_not_allowed"
SHOWN_HOST_LIMIT = 100


def host_name(header: str) -> str:
    """The name part of a ``Host`` header: no port, no brackets, lower case, no trailing dot."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    if value.count(":") == 1:
        value = value.partition(":")[0]
    return value.rstrip(".")


def is_loopback_host(name: str) -> bool:
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def normalised_hosts(given: Iterable[str]) -> frozenset[str]:
    """``--allowed-host`` values as compared with a request's: ``Mock.LAN:8080`` allows ``mock.lan``."""
    return frozenset(host_name(value) if value.strip() != ANY_HOST else ANY_HOST for value in given if value.strip())


# Clients send a handful of distinct Host values; a cached answer keeps the check off the profile.
@lru_cache(maxsize=1024)
def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    if ANY_HOST in allowed:
        return True
    if not header:
        return False
    name = host_name(header)
    return is_loopback_host(name) or name in allowed


def refusal_message(name: str, value: str | None) -> str:
    shown = repr(value[:SHOWN_HOST_LIMIT]) if value else "(none)"
    return (
        f"{name} {shown} may not reach the control plane while it has no control token: a web page on "
        "another origin could use it (DNS rebinding, cross-site requests). Use a loopback address "
        "(localhost, 127.0.0.1, [::1]), serve with "
        "--allowed-host NAME (env MOCKSERVER_ALLOWED_HOST) for a name you trust, or set --control-token"
    )


class ControlHostGuard:
    """An ASGI wrapper answering 403 to control-plane calls from hosts that are not allowed."""

    def __init__(self, app: ASGIApp, server: Server, *, unguarded: Iterable[tuple[str, str]]) -> None:
        self.app = app
        self.server = server
        self.allowed = normalised_hosts(server.settings.allowed_hosts)
        # Per method: each unguarded template's fixed start (a cheap first test) and its segments.
        self.unguarded: dict[str, list[tuple[str, list[str]]]] = {}
        for method, template in unguarded:
            fixed = template.partition("{")[0]
            self.unguarded.setdefault(method, []).append((fixed, template.split("/")))
        self.active = server.settings.control_token is None and ANY_HOST not in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.active and scope["type"] == "http" and self._guarded(scope["method"], scope["path"]):
            host = _header(scope, b"host")
            origin = _header(scope, b"origin")
            if not host_allowed(host, self.allowed):
                await self._refuse(scope, send, refusal_message("Host", host))
                return
            if origin is not None and not host_allowed(_origin_host(origin), self.allowed):
                await self._refuse(scope, send, refusal_message("Origin", origin))
                return
        await self.app(scope, receive, send)

    def _guarded(self, method: str, path: str) -> bool:
        if not (path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/")):
            return False
        method = "GET" if method == "HEAD" else method
        for fixed, template in self.unguarded.get(method, ()):
            if path.startswith(fixed) and _matches(template, path.split("/")):
                return False
        return True

    async def _refuse(self, scope: Scope, send: Send, message: str) -> None:
        request_id = valid_request_id(_header(scope, b"x-request-id")) or self.server.next_anonymous_request_id()
        meta = {"option": "--allowed-host"}
        body = wire_json(ErrorOut.of(CODE, message, meta, request_id))
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-request-id", request_id.encode()),
        ]
        await send({"type": "http.response.start", "status": STATUS, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _origin_host(origin: str) -> str:
    """The host of an ``Origin`` header (``null`` and other non-URLs have none, so are refused)."""
    try:
        return urlsplit(origin.strip()).netloc
    except ValueError:
        return ""


def _matches(template: list[str], segments: list[str]) -> bool:
    """A route template against a path, segment by segment: ``{x}`` is one non-empty segment."""
    if len(template) != len(segments):
        return False
    return all(
        part == given or (part.startswith("{") and given != "") for part, given in zip(template, segments, strict=True)
    )
