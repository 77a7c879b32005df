"""``GET /_mock/health`` and ``GET /_mock/ready``: probes for CI, compose and orchestrators.

Both answer without an API key or control token, touch no tenant and draw no request id, so polling
them never changes what the API answers (ids stay deterministic).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import orjson
from pydantic import BaseModel, ConfigDict
from starlette.types import Receive, Scope, Send

from mockserver._version import __version__
from mockserver.api.http import JSON, AsgiEndpoint
from mockserver.api.server import Server as MockServer
from mockserver.api.spec import operation
from mockserver.readiness import Readiness

Probe = Callable[[MockServer], tuple[int, BaseModel]]


class HealthOut(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    status: Literal["ok"]
    version: str


class ReadyOut(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    status: Literal["starting", "ready", "stopping"]
    version: str


@operation("Liveness: 200 while the process serves", responses={200: HealthOut})
def get_health(server: MockServer) -> tuple[int, BaseModel]:
    return 200, HealthOut(status="ok", version=__version__)


@operation(
    "Readiness: 200 once fixtures, scenarios and the state file are loaded; 503 before and while stopping",
    responses={200: ReadyOut, 503: ReadyOut},
)
def get_ready(server: MockServer) -> tuple[int, BaseModel]:
    state = server.readiness
    return (200 if state is Readiness.READY else 503), ReadyOut(status=state.value, version=__version__)


def probe_endpoint(server: MockServer, probe: Probe) -> AsgiEndpoint:
    async def run(scope: Scope, receive: Receive, send: Send) -> None:
        status, body = probe(server)
        payload = orjson.dumps(body.model_dump())
        headers = [
            (b"content-type", JSON.encode()),
            (b"content-length", str(len(payload)).encode()),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else payload})

    return AsgiEndpoint(run)
