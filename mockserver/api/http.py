"""The request pipeline shared by every endpoint: request id, auth, tenant, body, errors, journal.

Handlers receive a ``Call`` and return a ``Reply``; everything HTTP-generic happens here, once.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from mockserver.api.errors import envelope, error_headers, status_of
from mockserver.core.backend import PublishingBackend
from mockserver.core.errors import (
    AuthFailed,
    BodyInvalid,
    BodyTooLarge,
    DomainError,
    Unauthorized,
    ValidationFailed,
)
from mockserver.core.scenarios import RequestContext, RequestFault
from mockserver.core.journal import JournalEntry
from mockserver.loading.fixtures import field_path
from mockserver.mock import MockServer

M = TypeVar("M", bound=BaseModel)
REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
JSON = "application/json"


@dataclass(slots=True)
class Call:
    request: Request
    backend: PublishingBackend
    body: Any
    raw_body: bytes
    request_id: str

    @property
    def params(self) -> dict[str, Any]:
        return self.request.path_params

    @property
    def query(self) -> Any:
        return self.request.query_params

    def parse(self, model: type[M]) -> M:
        return parse_model(model, {} if self.body is None else self.body)


@dataclass(slots=True)
class Reply:
    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    latency_ms: int = 0
    raw: bytes | None = None
    media_type: str = JSON


Handler = Callable[[Call], Reply | Awaitable[Reply]]


def parse_model(model: type[M], data: Any) -> M:
    if not isinstance(data, dict):
        raise BodyInvalid("the request body must be a JSON object", meta={"field": "body"})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        path = field_path(first["loc"])
        if first["type"] == "missing":
            raise ValidationFailed.required(path) from None
        message = first["msg"].removeprefix("Value error, ")
        raise ValidationFailed.invalid(path, f"{path}: {message}") from None


def json_response(body: Any, status: int, request_id: str, headers: dict[str, str] | None = None) -> Response:
    response = Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)
    response.headers["X-Request-ID"] = request_id
    return response


def error_response(error: DomainError, request_id: str) -> Response:
    body = envelope(error.code, error.message, error.meta, request_id)
    return json_response(body, status_of(error), request_id, error_headers(error))


def client_request_id(request: Request) -> str | None:
    given = request.headers.get("x-request-id")
    if given is not None and REQUEST_ID.match(given):
        return given
    return None


def api_key_of(request: Request) -> str:
    header = request.headers.get("authorization")
    if header is None:
        raise AuthFailed("missing Authorization header", code="auth.missing_header")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthFailed("empty bearer token", code="auth.empty_token")
    if not token.startswith("sapi_key_") or len(token) > 200:
        raise AuthFailed("invalid or inactive API key", code="auth.invalid_key")
    return token


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes ``limit`` (never read whole)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"request body exceeds {limit} bytes", meta={"limit": limit})
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"request body exceeds {limit} bytes", meta={"limit": limit})
        chunks.append(chunk)
    return b"".join(chunks)


def decode_json(raw: bytes, content_type: str) -> Any:
    if not raw.strip():
        return None
    if content_type and "json" not in content_type and not content_type.startswith("text/"):
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BodyInvalid("the request body is not valid JSON", meta={"field": "body"}) from None


def endpoint(
    server: MockServer,
    handler: Handler,
    *,
    control: bool = False,
    json_body: bool = True,
    max_body_bytes: int | None = None,
) -> Any:
    """Wrap ``handler`` in the shared pipeline; the result is a Starlette endpoint."""
    settings = server.settings
    body_limit = max_body_bytes or settings.max_body_bytes

    async def run(request: Request) -> Response:
        given_id = client_request_id(request)
        backend: PublishingBackend | None = None
        try:
            if (
                control
                and settings.control_token is not None
                and (request.headers.get("x-mock-token") != settings.control_token)
            ):
                raise Unauthorized("this control call needs the X-Mock-Token header", code="auth.invalid_token")
            backend = server.tenant(api_key_of(request))
        except DomainError as error:
            return error_response(error, given_id or server.next_anonymous_request_id())
        request_id = given_id or backend.next_request_id()
        if backend.clock.mode == "realtime":
            backend.fire_due()
        raw = b""
        body: Any = None
        try:
            if not control:
                fault = _request_fault(backend, request)
                if fault is not None:
                    if fault.latency_ms:
                        await asyncio.sleep(fault.latency_ms / 1000)
                    if fault.status is not None:
                        return _fault_response(backend, request, fault, request_id)
            if request.method in ("POST", "PUT", "PATCH", "DELETE"):
                raw = await read_body(request, body_limit)
                if json_body:
                    body = decode_json(raw, request.headers.get("content-type", ""))
            call = Call(request, backend, body, raw, request_id)
            result = handler(call)
            reply = await result if asyncio.iscoroutine(result) else result
        except DomainError as error:
            response = error_response(error, request_id)
            _journal(backend, request, response.status_code, body, request_id, raw)
            return response
        assert isinstance(reply, Reply)
        if reply.latency_ms:
            await asyncio.sleep(reply.latency_ms / 1000)
        if reply.raw is not None:
            response = Response(reply.raw, reply.status, media_type=reply.media_type, headers=reply.headers)
        elif reply.status == 204:
            response = Response(status_code=204, headers=reply.headers)
        else:
            response = Response(orjson.dumps(reply.body), reply.status, media_type=JSON, headers=reply.headers)
        response.headers["X-Request-ID"] = request_id
        if not control and backend.plan.is_free and request.scope["path"].startswith("/v1/posts"):
            response.headers["X-Posts-Limit"] = str(backend.plan.posts_limit)
            response.headers["X-Posts-Remaining"] = str(max(backend.plan.posts_limit - backend.plan.posts_used, 0))
        if not control:
            _journal(backend, request, response.status_code, body, request_id, raw)
        # Events this call recorded go out to webhooks in the background, after the response.
        server.webhook_sender.kick(backend)
        return response

    return run


def _request_fault(backend: PublishingBackend, request: Request) -> RequestFault | None:
    if not backend.scenarios.has_request_rules:
        return None
    with backend.lock:
        return backend.scenarios.decide_request(RequestContext(request.method, request.scope["path"], backend.now()))


def _fault_response(backend: PublishingBackend, request: Request, fault: RequestFault, request_id: str) -> Response:
    headers = dict(fault.headers or {})
    if fault.retry_after is not None:
        headers["Retry-After"] = str(fault.retry_after)
    status = fault.status or 500
    body = envelope(fault.code or f"http.{status}", fault.message or "injected fault", dict(fault.meta), request_id)
    response = json_response(body, status, request_id, headers)
    _journal(backend, request, status, None, request_id, b"")
    return response


def _journal(backend: PublishingBackend, request: Request, status: int, body: Any, request_id: str, raw: bytes) -> None:
    if backend.journal.maxlen == 0:
        return
    if body is None and raw:
        body = raw[:1024].decode("utf-8", "replace")
    backend.journal.append(
        JournalEntry(
            request.scope["method"],
            request.scope["path"],
            request.scope["query_string"],
            status,
            body,
            request_id,
            backend.now(),
        )
    )
