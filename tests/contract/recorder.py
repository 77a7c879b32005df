"""Every JSON body the test suite receives, checked against the app's own ``GET /openapi.json``.

``install()`` (called by ``tests/conftest.py``) wraps each app ``MockServer`` builds, so the in-process
clients, the SDK, live servers and the webhook sender's in-process calls all pass through a
``RecordingApp``. Each JSON answer is validated as it leaves, by the schema the document declares for
its route template, method and status, with every object schema closed (``additionalProperties:
false`` unless it says otherwise): a key the document does not declare fails, and so does a missing
required one. Problems are kept per process and turned into a failure of the test that caused them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import httpx
import jsonschema_rs
import orjson

import mockserver.mock
from mockserver.testing import sync_transport

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

DOC_PATH = "/openapi.json"
INTERNAL_ERROR = 500
ENVELOPE = "#/components/schemas/ErrorOut"
# Keywords whose values are data, not schemas: never closed.
DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples", "required"})
# A path parameter, with Starlette's optional converter: {name} or {name:path}.
PARAM = re.compile(r"{([^}:]+)(?::([^}]+))?}")


def closed(schema: Any) -> Any:
    """``schema`` with every object schema that lists properties closed to keys it does not list."""
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in DATA_KEYWORDS:
            out[key] = value
        elif key in ("properties", "$defs", "schemas", "patternProperties"):
            out[key] = {name: closed(sub) for name, sub in value.items()}
        else:
            out[key] = closed(value)
    if "properties" in out and "additionalProperties" not in out and "patternProperties" not in out:
        out["additionalProperties"] = False
    return out


@dataclass(frozen=True, slots=True)
class Template:
    path: str
    pattern: re.Pattern[str]
    params: int


def _template(path: str) -> Template:
    pattern, end = "", 0
    for match in PARAM.finditer(path):
        pattern += re.escape(path[end : match.start()]) + (".+" if match.group(2) == "path" else "[^/]+")
        end = match.end()
    pattern += re.escape(path[end:])
    return Template(path, re.compile(f"^{pattern}$"), len(PARAM.findall(path)))


def _json_path(parts: list[str | int]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _leaves(error: jsonschema_rs.ValidationError) -> list[jsonschema_rs.ValidationError]:
    """The errors that explain ``error``: for an ``anyOf``, those of the branch the body came closest to."""
    branches = getattr(error.kind, "context", None)
    if not branches:
        return [error]
    explained = [[leaf for sub in branch for leaf in _leaves(sub)] for branch in branches]
    # The closest branch has the fewest errors; "is not null" loses a tie (the value is there, only wrong).
    return min(explained, key=lambda leaves: (len(leaves), any(_wrong_type(leaf, "null") for leaf in leaves)))


def _wrong_type(error: jsonschema_rs.ValidationError, name: str) -> bool:
    return isinstance(error.kind, jsonschema_rs.ValidationErrorKind.Type) and error.message.endswith(f'"{name}"')


def describe(error: jsonschema_rs.ValidationError) -> str:
    kind = error.kind
    where = _json_path(list(error.instance_path))
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        return f"at {where}: undeclared key(s) {', '.join(repr(k) for k in kind.unexpected)}"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return f"at {where}: missing required key {kind.property!r}"
    return f"at {where}: {error.message}"


class Document:
    """The served document, its route templates, and a compiled validator per operation and status."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._components = closed(document.get("components", {}))
        self._paths: dict[str, Any] = document["paths"]
        # The most literal template wins, as Starlette's route order makes /v1/posts/validate beat /v1/posts/{pid}.
        self._templates = sorted((_template(p) for p in self._paths), key=lambda t: t.params)
        self._validators: dict[tuple[str, str, str], jsonschema_rs.Validator | None] = {}
        self._lock = threading.Lock()

    def template_of(self, path: str) -> str | None:
        return next((t.path for t in self._templates if t.pattern.match(path)), None)

    def problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        template = self.template_of(path)
        if template is None or template == DOC_PATH:
            return []  # not an operation of the document (a 404 for an unknown path)
        operation = self._paths[template].get(method.lower())
        if operation is None:
            return []  # a 405: the path exists, the method does not
        route = f"{method} {template} answered {status}"
        responses = operation.get("responses", {})
        response = responses.get(str(status))
        if response is None and status == INTERNAL_ERROR:
            # A bug answers 500 on any route (tests provoke one); its body must still be the envelope.
            response = {"content": {"application/json": {"schema": {"$ref": ENVELOPE}}}}
        if response is None:
            return [f"{route}: the document declares no {status} for this operation"]
        validator = self._validator(template, method, str(status), response)
        if validator is None:
            return [f"{route}: the document declares no JSON body for this status"]
        return [f"{route} {describe(leaf)}" for error in validator.iter_errors(body) for leaf in _leaves(error)]

    def _validator(self, template: str, method: str, status: str, response: Any) -> jsonschema_rs.Validator | None:
        key = (template, method, status)
        with self._lock:
            if key not in self._validators:
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                self._validators[key] = (
                    None
                    if schema is None
                    else jsonschema_rs.validator_for({**closed(schema), "components": self._components})
                )
            return self._validators[key]


class Recorder:
    """The problems found so far in this process, in the order they were found."""

    def __init__(self) -> None:
        self._document: Document | None = None
        self._problems: list[str] = []
        self._lock = threading.Lock()
        self._loading = threading.Lock()

    def document(self) -> Document:
        with self._loading:
            if self._document is None:
                # The document as served, fetched through an app like any other answer.
                self._document = Document(_fetch_document(mockserver.mock.MockServer()))
            return self._document

    def check(self, method: str, path: str, status: int, body: bytes) -> None:
        if path == DOC_PATH:
            return
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError:
            found = [f"{method} {path} answered {status} with a body that is not JSON"]
        else:
            found = self.document().problems(method, path, status, parsed)
        if found:
            with self._lock:
                self._problems += found

    def take(self) -> list[str]:
        with self._lock:
            found, self._problems = self._problems, []
        return found


def _fetch_document(server: mockserver.mock.MockServer) -> dict[str, Any]:
    with httpx.Client(transport=sync_transport(server.app), base_url="http://doc") as http:
        response = http.get(DOC_PATH)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


RECORDER = Recorder()


class RecordingApp:
    """An app that hands each JSON answer to ``RECORDER`` once it is sent; everything else is the app's."""

    def __init__(self, app: Any) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        await self._app(scope, receive, _RecordingSend(scope, send).send)


class _RecordingSend:
    """The ``send`` of one request, recording its JSON answer; like the ``send`` it wraps, its owner
    takes a whole answer (``send_whole``, our protocol's one-write path) when that one's does."""

    def __init__(self, scope: Scope, send: Send) -> None:
        self._scope = scope
        self._send = send
        self._status = 0
        self._is_json = False
        self._chunks: list[bytes] = []
        self._whole = getattr(getattr(send, "__self__", None), "send_whole", None)
        self.send_whole = None if self._whole is None else self._send_whole

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._status = message["status"]
            headers = dict(message.get("headers", ()))
            self._is_json = headers.get(b"content-type", b"").startswith(b"application/json")
        elif message["type"] == "http.response.body" and self._is_json:
            self._chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                RECORDER.check(self._scope["method"], self._scope["path"], self._status, b"".join(self._chunks))
        await self._send(message)

    async def _send_whole(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        assert self._whole is not None
        if dict(headers).get(b"content-type", b"").startswith(b"application/json"):
            RECORDER.check(self._scope["method"], self._scope["path"], status, body)
        await self._whole(status, headers, body)


def install() -> None:
    """Wrap every app ``MockServer`` builds from now on (idempotent)."""
    build = mockserver.mock.create_app
    if getattr(build, "records_answers", False):
        return

    def recording_create_app(server: Any) -> Any:
        return RecordingApp(build(server))

    recording_create_app.records_answers = True  # type: ignore[attr-defined]
    mockserver.mock.create_app = recording_create_app  # type: ignore[assignment]
