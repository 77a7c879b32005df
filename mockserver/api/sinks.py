"""``/_mock/sinks``: webhook receivers served by the mock (``core/webhooks/sinks.py``).

``POST /_mock/sinks`` creates one and answers its URL; ``GET /_mock/sinks/{name}`` lists what it
received; ``POST /_mock/sinks/{name}`` is the receiver itself, which needs no API key (webhooks carry
none): the sink's name finds its tenant.
"""

from __future__ import annotations

import asyncio
import itertools

from starlette.requests import Request
from starlette.responses import Response

from mockserver.api.body_reader import check_json_depth, read_body
from mockserver.api.http import Call, Reply
from mockserver.api.public_url import public_base_url
from mockserver.api.server import Server
from mockserver.api.shapes.common import wire_json
from mockserver.api.shapes.sinks import SinkAnsweredOut, SinkCreate, SinkOut
from mockserver.api.spec import operation
from mockserver.core.backend import PublishingBackend
from mockserver.core.errors import Conflict, NotFound
from mockserver.core.ids import stable_seed
from mockserver.core.webhooks.sinks import SINK_PREFIX

RECEIVED_BODY_LIMIT = 1024 * 1024


def sink_url(call: Call, name: str) -> str:
    """The URL of sink ``name`` as the caller reaches the mock (the same scheme, host and port)."""
    return public_base_url(call) + SINK_PREFIX + name


@operation(
    "Create a webhook sink (or change how it answers); its URL is served by the mock",
    request=SinkCreate,
    responses={201: SinkOut},
    errors=(400, 401, 409),
)
def create_sink(call: Call) -> Reply:
    request = call.parse(SinkCreate)
    backend = call.backend
    server: Server = call.request.app.state.server
    name = request.name or _fresh_name(server, backend.key)
    owner = _owner(server, name)
    if owner is not None and owner is not backend:
        raise Conflict(f"another tenant already has a sink named {name}", code="mock.sink_taken", meta={"name": name})
    sink = backend.sinks.create_sink(name, status=request.status, delay_ms=request.delay_ms)
    return Reply(SinkOut.of(sink, sink_url(call, name)), status=201)


@operation("A webhook sink and every delivery it received, oldest first", responses={200: SinkOut}, errors=(401, 404))
def get_sink(call: Call) -> Reply:
    name = call.params["name"]
    sink = call.backend.sinks.get_sink(name)
    return Reply(SinkOut.of(sink, sink_url(call, name)))


@operation(
    "The sink's receiver: record a webhook delivery and answer as the sink was told (no API key)",
    responses={200: SinkAnsweredOut},
    errors=(400, 404, 413),
)
async def receive_at_sink(server: Server, request: Request) -> Response:
    name = request.path_params["name"]
    owner = _owner(server, name)
    if owner is None:
        raise NotFound.of("sink", name)
    body = await read_body(request, RECEIVED_BODY_LIMIT)
    check_json_depth(body)
    answer = owner.sinks.receive_at_sink(name, dict(request.headers), body)
    if answer.delay_ms:
        await asyncio.sleep(answer.delay_ms / 1000)
    if answer.status < 300:
        return Response(wire_json(SinkAnsweredOut.of()), answer.status, media_type="application/json")
    return Response(b"the sink was told to fail", answer.status, media_type="text/plain")


def _owner(server: Server, name: str) -> PublishingBackend | None:
    return server.tenant_with_sink(name)


def _fresh_name(server: Server, tenant: str) -> str:
    prefix = f"sink-{stable_seed(tenant) % 16**6:06x}"
    return next(f"{prefix}-{n}" for n in itertools.count(1) if _owner(server, f"{prefix}-{n}") is None)
