"""The request pipeline shared by every endpoint: request id, auth, tenant, body, errors, journal.

Handlers receive a ``Call`` and return a ``Reply``; everything HTTP-generic happens here, once.
"""

from __future__ import annotations

import asyncio
import hmac
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.api import messages
from mockserver.api.body_reader import decode_json, read_limited
from mockserver.api.body_warnings import STRICT_HEADER, BodyWarning, body_warnings, query_warnings, warning_headers
from mockserver.api.errors import INTERNAL, error_headers, internal_envelope, status_of
from mockserver.api.input_errors import describe
from mockserver.api.rate_limit import Headers, spend
from mockserver.api.server import Server
from mockserver.api.shapes.common import ErrorOut, wire_json
from mockserver.core.backend import PublishingBackend
from mockserver.core.errors import AuthFailed, BodyInvalid, DomainError, NotReady, Unauthorized, ValidationFailed
from mockserver.core.fields import field_path
from mockserver.core.journal import HANDLE_ID_PREFIX, JournalEntry
from mockserver.core.reach import Reach
from mockserver.core.scenarios import RequestFault
from mockserver.core.slices import Slices
from mockserver.core.versions import DEFAULT_API_VERSION
from mockserver.readiness import Readiness

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
JSON = "application/json"


class Call:
    """What a handler sees of one request: the tenant, the parsed body and the request's parts."""

    __slots__ = (
        "_request",
        "backend",
        "body",
        "headers",
        "raw_body",
        "reach",
        "request_id",
        "scope",
        "server",
        "strict",
        "warnings",
    )

    def __init__(
        self,
        scope: Scope,
        headers: dict[str, str],
        backend: PublishingBackend,
        body: Any,
        raw_body: bytes,
        request_id: str,
        server: Server,
        *,
        strict: bool = False,
    ) -> None:
        self.server = server
        self.scope = scope
        self.headers = headers
        self.backend = backend
        self.body = body
        self.raw_body = raw_body
        self.request_id = request_id
        self.strict = strict
        self.warnings: list[BodyWarning] = []
        # What a brand-restricted key reaches (None: the whole tenant), for the lists to leave out.
        self.reach: Reach | None = None
        self._request: Request | None = None

    @property
    def request(self) -> Request:
        """A Starlette ``Request`` for the few handlers that need one (built only when asked).

        Its ``receive`` hands over the body the pipeline already read.
        """
        if self._request is None:
            self._request = Request(self.scope, _replay(self.raw_body))
        return self._request

    @property
    def params(self) -> dict[str, Any]:
        return self.scope["path_params"]  # type: ignore[no-any-return]

    @property
    def query(self) -> QueryParams:
        return QueryParams(self.scope["query_string"])

    def parse(self, model: type[M]) -> M:
        """The body as ``model``; what it would not read as sent is warned about, or refused when strict."""
        parsed = parse_model(model, {} if self.body is None else self.body)
        if self.body is not None:
            found = body_warnings(model, self.body)
            if found:
                if self.strict:
                    raise found[0].refusal()
                self.warnings += found
        return parsed

    def parse_query(self, model: type[M]) -> M:
        return parse_query(model, self.query)

    async def in_slices(self, work: Slices[T]) -> T:
        """Run long work, serving other tenants between its slices (see ``core/slices.py``).

        This tenant's other requests wait until it ends, so the tenant sees its calls in order.
        """
        tenant = self.backend.key
        done = asyncio.Event()
        self.server.busy[tenant] = done
        try:
            while True:
                try:
                    next(work)
                except StopIteration as finished:
                    return finished.value  # type: ignore[no-any-return]
                await asyncio.sleep(0)
        finally:
            del self.server.busy[tenant]
            done.set()

    async def in_thread(self, work: Callable[[], T]) -> T:
        """Run work that touches no tenant state and cannot pause (a parser) off the event loop.

        As with ``in_slices``, this tenant's other requests wait until it ends.
        """
        tenant = self.backend.key
        done = asyncio.Event()
        self.server.busy[tenant] = done
        try:
            return await asyncio.to_thread(work)
        finally:
            del self.server.busy[tenant]
            done.set()


@dataclass(slots=True)
class Reply:
    body: BaseModel | None = None  # a shape, written by its own serializer (wire_json)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    latency_ms: int = 0
    raw: bytes | None = None
    media_type: str = JSON


Handler = Callable[[Call], Reply | Awaitable[Reply]]


def parse_model(model: type[M], data: Any) -> M:
    if not isinstance(data, dict):
        raise BodyInvalid(messages.BODY_NOT_OBJECT, meta={"field": "body"})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _field_error(exc, query=False) from None


def parse_query(model: type[M], params: Mapping[str, str]) -> M:
    """The query string as ``model``; an empty value counts as absent (``?status=`` lists all)."""
    try:
        return model.model_validate({name: value for name, value in params.items() if value})
    except ValidationError as exc:
        raise _field_error(exc, query=True) from None


def _field_error(exc: ValidationError, *, query: bool) -> ValidationFailed:
    first = exc.errors(include_url=False)[0]
    path = field_path(first["loc"]) or "body"
    if first["type"] == "missing":
        return ValidationFailed.required(path, messages.QUERY_REQUIRED.format(name=path) if query else None)
    return ValidationFailed.invalid(path, describe(first["type"], path, first.get("ctx"), first["msg"]))


def json_response(body: BaseModel, status: int, request_id: str, headers: dict[str, str] | None = None) -> Response:
    response = Response(wire_json(body), status_code=status, media_type=JSON, headers=headers)
    response.headers["X-Request-ID"] = request_id
    return response


def error_response(error: DomainError, request_id: str, api_version: str = DEFAULT_API_VERSION) -> Response:
    body = ErrorOut.of(error.code, error.message, error.meta, request_id)
    return json_response(body, status_of(error, api_version), request_id, error_headers(error))


def client_request_id(request: Request) -> str | None:
    return valid_request_id(request.headers.get("x-request-id"))


def valid_request_id(given: str | None) -> str | None:
    """The client's ``X-Request-ID`` when it is well formed, else None (one is generated)."""
    if given is not None and REQUEST_ID.match(given):
        return given
    return None


def token_matches(expected: str | None, given: str | None) -> bool:
    """Whether a control call may proceed: no token configured, or ``given`` is it (constant time)."""
    if expected is None:
        return True
    return given is not None and hmac.compare_digest(expected.encode("latin-1"), given.encode("latin-1"))


def api_key_of(request: Request) -> str:
    return api_key_from(request.headers.get("authorization"))


def api_key_from(header: str | None) -> str:
    if header is None:
        raise AuthFailed(messages.AUTH_MISSING, code="auth.missing_header")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthFailed(messages.AUTH_EMPTY, code="auth.empty_token")
    # The real API reads any other bearer as an OAuth access token (API.md 5.4).
    if not token.startswith("sapi_key_"):
        raise AuthFailed(messages.AUTH_TOKEN_INVALID, code="auth.invalid_token")
    if len(token) == len("sapi_key_") or len(token) > 200:
        raise AuthFailed(messages.AUTH_INVALID, code="auth.invalid_key")
    return token


def endpoint(
    server: Server,
    handler: Handler,
    *,
    control: bool = False,
    json_body: bool = True,
    max_body_bytes: int | None = None,
    query: type[BaseModel] | None = None,
) -> ASGIApp:
    """Wrap ``handler`` in the shared pipeline; the result is a plain ASGI app.

    It works on the ASGI scope directly rather than through Starlette's Request and Response:
    on the create path that halves the per-request cost of the shell (bench/PROFILE.md).
    """
    settings = server.settings
    body_limit = max_body_bytes or settings.max_body_bytes

    async def run(scope: Scope, receive: Receive, send: Send) -> None:
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        given_id = valid_request_id(headers.get("x-request-id"))
        try:
            if server.readiness is Readiness.STARTING:
                raise NotReady(messages.NOT_READY)
            if control and not token_matches(settings.control_token, headers.get("x-mock-token")):
                raise Unauthorized(messages.CONTROL_TOKEN, code="auth.invalid_token")
            api_key = api_key_from(headers.get("authorization"))
            backend = server.tenant(api_key)
        except DomainError as error:
            await _send_error(send, error, given_id or server.next_anonymous_request_id(), None, settings.api_version)
            return
        gate = server.busy.get(backend.key)
        while gate is not None:
            await gate.wait()
            gate = server.busy.get(backend.key)
        request_id = given_id or backend.next_request_id()
        if backend.clock.mode == "realtime":
            backend.posts.fire_due()
        raw = b""
        body: Any = None
        call: Call | None = None
        method = scope["method"]
        waited = 0
        budget: Headers = []
        reach: Reach | None = None
        try:
            if not control:
                # A revoked key or a missing scope: refused in the team's journal, before any scenario.
                reach = backend.keys.authorize(api_key, method, scope["path"])
                budget = spend(backend, request_id)
                fault = _request_fault(backend, scope)
                if fault is not None:
                    if fault.latency_ms:
                        waited = fault.latency_ms
                        await asyncio.sleep(fault.latency_ms / 1000)
                    if fault.status is not None:
                        await _send_fault(send, backend, scope, fault, request_id, budget)
                        return
            if method in ("POST", "PUT", "PATCH", "DELETE"):
                raw = await read_limited(receive, headers.get("content-length"), body_limit)
                if json_body:
                    body = decode_json(raw, headers.get("content-type", ""))
            strict = settings.strict or headers.get(STRICT_HEADER) == "1"
            call = Call(scope, headers, backend, body, raw, request_id, server, strict=strict)
            call.reach = reach
            if scope["query_string"]:
                call.warnings = query_warnings(query, list(call.query.keys()))
                if call.warnings and strict:
                    raise call.warnings[0].refusal()
            result = handler(call)
            reply = await result if asyncio.iscoroutine(result) else result
        except DomainError as error:
            warned = call.warnings if call is not None else []
            status, payload = await _send_error(
                send, error, request_id, warning_headers(warned) + budget, settings.api_version, scope["path"]
            )
            if not control:  # the mock's own routes stay out of the journal, refused or not
                _journal(backend, scope, status, request_id, raw, payload, waited, warned)
            return
        assert isinstance(reply, Reply) and call is not None
        if reply.latency_ms:
            await asyncio.sleep(reply.latency_ms / 1000)
        out = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers.items()]
        out.append((b"x-request-id", request_id.encode()))
        out += warning_headers(call.warnings) + budget
        plan = backend.plan()
        if not control and plan.is_free and scope["path"].startswith("/v1/posts"):
            out.append((b"x-posts-limit", str(plan.posts_limit).encode()))
            out.append((b"x-posts-remaining", str(max(plan.posts_limit - plan.posts_used, 0)).encode()))
        if reply.status == 204:
            payload = b""
            await _send(send, 204, out, payload, None)
        elif reply.raw is not None:
            payload = reply.raw
            await _send(send, reply.status, out, payload, reply.media_type)
        else:
            payload = b"null" if reply.body is None else wire_json(reply.body)
            await _send(send, reply.status, out, payload, JSON)
        if not control:
            _journal(backend, scope, reply.status, request_id, raw, payload, waited + reply.latency_ms, call.warnings)
        # Events this call recorded go out to webhooks in the background, after the response.
        server.webhook_sender.kick(backend)

    return AsgiEndpoint(run)


ServerHandler = Callable[[Server], Reply]


def server_endpoint(server: Server, handler: ServerHandler) -> ASGIApp:
    """A control route about the whole server, not one tenant: the control token, no API key."""
    token = server.settings.control_token

    async def run(scope: Scope, receive: Receive, send: Send) -> None:
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        request_id = valid_request_id(headers.get("x-request-id")) or server.next_anonymous_request_id()
        if not token_matches(token, headers.get("x-mock-token")):
            error = Unauthorized("this control call needs the X-Mock-Token header", code="auth.invalid_token")
            await _send_error(send, error, request_id)
            return
        try:
            reply = handler(server)
        except DomainError as error:
            await _send_error(send, error, request_id)
            return
        payload = b"null" if reply.body is None else wire_json(reply.body)
        await _send(send, reply.status, [(b"x-request-id", request_id.encode())], payload, JSON)

    return AsgiEndpoint(run)


class AsgiEndpoint:
    """Marks an endpoint as a plain ASGI app, so routing calls it without building a Request."""

    __slots__ = ("app",)

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        return self.app(scope, receive, send)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, media: str | None) -> None:
    if media is not None:
        headers.append((b"content-type", media.encode("latin-1")))
    if status != 204:
        headers.append((b"content-length", str(len(body)).encode()))
    # Served by our uvicorn protocol (bounded_http.py), the pair is written in one piece.
    send_whole = getattr(getattr(send, "__self__", None), "send_whole", None)
    if send_whole is not None:
        await send_whole(status, headers, body)
        return
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def internal_error(send: Send) -> None:
    """A 500 in the envelope, for a bug that escaped a handler (the response has not started)."""
    await _send(send, 500, [(b"x-request-id", INTERNAL.encode())], wire_json(internal_envelope()), JSON)


async def _send_error(
    send: Send,
    error: DomainError,
    request_id: str,
    extra: list[tuple[bytes, bytes]] | None = None,
    api_version: str = DEFAULT_API_VERSION,
    path: str = "",
) -> tuple[int, bytes]:
    status = status_of(error, api_version, path)
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in error_headers(error).items()]
    headers.append((b"x-request-id", request_id.encode()))
    if extra:
        headers += extra
    payload = wire_json(ErrorOut.of(error.code, error.message, error.meta, request_id))
    await _send(send, status, headers, payload, JSON)
    return status, payload


def _replay(raw: bytes) -> Receive:
    """A ``receive`` that hands the already-read body to a handler that builds a Request."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    return receive


def _request_fault(backend: PublishingBackend, scope: Scope) -> RequestFault | None:
    return backend.request_fault(scope["method"], scope["path"])


async def _send_fault(
    send: Send, backend: PublishingBackend, scope: Scope, fault: RequestFault, request_id: str, budget: Headers
) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in (fault.headers or {}).items()] + budget
    if fault.retry_after is not None:
        headers.append((b"retry-after", str(fault.retry_after).encode()))
    headers.append((b"x-request-id", request_id.encode()))
    status = fault.status or 500
    message = fault.message or messages.INJECTED_FAULT
    payload = wire_json(ErrorOut.of(fault.code or f"http.{status}", message, dict(fault.meta), request_id))
    await _send(send, status, headers, payload, JSON)
    _journal(backend, scope, status, request_id, b"", payload, fault.latency_ms)


def _journal(
    backend: PublishingBackend,
    scope: Scope,
    status: int,
    request_id: str,
    raw: bytes,
    response: bytes = b"",
    latency_ms: int = 0,
    warnings: list[BodyWarning] | None = None,
) -> None:
    if not backend.journals_requests or request_id.startswith(HANDLE_ID_PREFIX):
        # The pytest handle's own calls are not the app's traffic: they take no room in the journal.
        return
    backend.record_request(
        JournalEntry.record(
            scope["method"],
            scope["path"],
            scope["query_string"],
            status,
            raw,
            request_id,
            backend.now(),
            response=response,
            latency_ms=latency_ms,
            warnings=tuple(w.message for w in warnings) if warnings else (),
        )
    )
