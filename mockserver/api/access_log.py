"""``--access-log``: one line per request (method, path, status, ms, request id, tenant key shortened).

Lines go to the ``mockserver.access`` logger, as text or, with ``--log-format json``, as JSON objects.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.types import Message, Receive, Scope, Send

from mockserver.core.clock import monotonic, wall_now

ACCESS_LOGGER = "mockserver.access"
logger = logging.getLogger(ACCESS_LOGGER)

App = Callable[[Scope, Receive, Send], Awaitable[None]]


def log_time() -> str:
    """Wall time of a log line, to the millisecond (not ``format_instant``: its cache is for domain instants)."""
    return wall_now().isoformat(timespec="milliseconds").replace("+00:00", "Z")


def short_key(authorization: str | None) -> str:
    """``sapi_key_live_0123456789abcdef`` -> ``sapi_key_liv...cdef``: enough to tell tenants apart."""
    if not authorization:
        return "-"
    token = authorization.partition(" ")[2].strip()
    if not token:
        return "-"
    return token if len(token) <= 16 else f"{token[:12]}...{token[-4:]}"


class AccessLog:
    def __init__(self, *, json_lines: bool) -> None:
        self.json_lines = json_lines

    async def serve(self, app: App, scope: Scope, receive: Receive, send: Send) -> None:
        started = monotonic()
        seen: dict[str, Any] = {"status": 500, "request_id": "-"}

        async def watching(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                for name, value in message.get("headers", ()):
                    if name.lower() == b"x-request-id":
                        seen["request_id"] = value.decode("latin-1")
            await send(message)

        try:
            await app(scope, receive, watching)
        finally:
            headers = dict(scope.get("headers", ()))
            authorization = headers.get(b"authorization")
            self.write(
                method=scope["method"],
                path=scope["path"],
                status=seen["status"],
                ms=round((monotonic() - started) * 1000, 2),
                request_id=seen["request_id"],
                tenant=short_key(authorization.decode("latin-1") if authorization else None),
            )

    def write(self, *, method: str, path: str, status: int, ms: float, request_id: str, tenant: str) -> None:
        if self.json_lines:
            record = {
                "time": log_time(),
                "event": "request",
                "method": method,
                "path": path,
                "status": status,
                "ms": ms,
                "request_id": request_id,
                "tenant": tenant,
            }
            logger.info(orjson.dumps(record).decode())
        else:
            logger.info("%s %s %d %.2fms request_id=%s tenant=%s", method, path, status, ms, request_id, tenant)
