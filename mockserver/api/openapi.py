"""``GET /openapi.json``: an OpenAPI 3.1 document of every route the mock serves.

The document is generated from the route tables of ``api/app.py`` and the ``@operation`` metadata on
each handler: request bodies and query strings are described by the pydantic models the handlers
parse with, response bodies by the ``Out`` models of ``api/shapes/`` whose ``of`` builds them. A new
route is therefore documented the moment it is added to a table, and the document cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import orjson
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema
from starlette.requests import Request
from starlette.responses import Response

from mockserver.api import consent
from mockserver.api.shapes.common import ErrorOut
from mockserver.api.spec import Deferred, Operation, handler_of, operation_of
from mockserver.ui.pages import STATIC_PATH, UI_PATH

OPENAPI_VERSION = "3.1.0"
DOC_PATH = "/openapi.json"
REF = "#/components/schemas/{model}"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PATH_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")
JSON = "application/json"
BEARER = "bearer"
MOCK_TOKEN = "mockToken"


@dataclass(frozen=True, slots=True)
class RouteSpec:
    """One row of a route table, and whether it belongs to the ``/_mock`` control plane."""

    method: str
    path: str
    handler: Callable[..., Any] | Deferred
    control: bool
    # False for the few control routes about the whole server: no API key, no tenant.
    tenant: bool = True
    # Answered without an API key or control token (the probes).
    open: bool = False


def route_specs(
    public: Iterable[tuple[str, str, Any]],
    control: Iterable[tuple[str, str, Any]],
    server: Iterable[tuple[str, str, Any]] = (),
    open_routes: Iterable[tuple[str, str, Any]] = (),
) -> list[RouteSpec]:
    return (
        [RouteSpec(m, p, h, False) for m, p, h in public]
        + [RouteSpec(m, p, h, True) for m, p, h in control]
        + [RouteSpec(m, p, h, True, tenant=False) for m, p, h in server]
        + [RouteSpec(m, p, h, True, open=True) for m, p, h in open_routes]
    )


class _Models:
    """Every model the document mentions, turned into JSON Schema in one pass.

    One pass lets pydantic give distinct names to distinct models that share a class name, and
    makes each nested model a shared ``components/schemas`` entry.
    """

    def __init__(self, routes: list[RouteSpec]) -> None:
        wanted: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {(ErrorOut, "serialization"): None}
        for route in routes:
            op = operation_of(route.handler)
            if op is None:
                continue
            for model in (op.request, op.query):
                if model is not None:
                    wanted[(model, "validation")] = None
            for model in op.responses.values():
                if model is not None:
                    wanted[(model, "serialization")] = None
        refs, defs = models_json_schema(list(wanted), ref_template=REF)
        self.components: dict[str, Any] = {name: _tidy(schema) for name, schema in defs.get("$defs", {}).items()}
        self._refs = refs

    def ref(self, model: type[BaseModel], mode: JsonSchemaMode) -> dict[str, Any]:
        return dict(self._refs[(model, mode)])

    def inline(self, model: type[BaseModel]) -> dict[str, Any]:
        """The schema of a query model, taken out of components (it is not a body)."""
        name = self.ref(model, "validation")["$ref"].rsplit("/", 1)[-1]
        return dict(self.components[name])

    def prune(self, paths: dict[str, Any], queries: Iterable[type[BaseModel]]) -> None:
        """Drop the components of query models that nothing refers to (their fields became parameters)."""
        text = orjson.dumps([paths, self.components]).decode()
        for model in queries:
            name = self.ref(model, "validation")["$ref"].rsplit("/", 1)[-1]
            if f'"{REF.format(model=name)}"' not in text:
                self.components.pop(name, None)


def _tidy(schema: Any) -> Any:
    """Drop pydantic's generated titles (noise for readers and tools); keep everything that constrains."""
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "title" and isinstance(value, str):
                continue
            out[key] = value if key in ("enum", "const", "default", "examples") else _tidy(value)
        return out
    if isinstance(schema, list):
        return [_tidy(item) for item in schema]
    return schema


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query or header value is absent rather than null: strip the null branch pydantic adds."""
    schema = {k: v for k, v in schema.items() if not (k == "default" and v is None)}
    branches = schema.get("anyOf")
    if isinstance(branches, list):
        kept = [b for b in branches if b != {"type": "null"}]
        rest = {k: v for k, v in schema.items() if k != "anyOf"}
        if len(kept) == 1:
            return {**rest, **kept[0]}
        return {**rest, "anyOf": kept}
    return schema


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": f"{_phrase(status)} (error envelope)",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }


def _responses(op: Operation | None, route: RouteSpec, models: _Models) -> dict[str, Any]:
    declared: Mapping[int, type[BaseModel] | None] = op.responses if op is not None else {}
    errors = set(op.errors if op is not None else ())
    # What the shared pipeline can answer on any route, whatever the handler declares.
    if not route.open:
        errors.update((401, 503))
    if route.tenant and not route.open:
        # A key the server has not seen opens a tenant, refused past --max-tenants (mock.tenant_limit).
        errors.add(429)
    if route.tenant and not route.open and route.path.startswith("/v1/"):
        # A key without the scope this route needs (auth.insufficient_scope, core/team/scopes.py).
        errors.add(403)
    # Strict mode refuses a query parameter the route does not read (validation.unknown_field), on any route.
    errors.add(400)
    if route.method in BODY_METHODS:
        errors.add(413)
    if PATH_PARAM.search(route.path):
        errors.add(404)
    out: dict[str, Any] = {}
    for status in sorted(set(declared) | errors):
        model = declared.get(status)
        if status not in declared:
            out[str(status)] = _error_response(status)
            continue
        entry: dict[str, Any] = {"description": _phrase(status)}
        if not route.open:
            entry["headers"] = {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}}
        if model is not None:
            schema = models.ref(model, "serialization")
            if status in errors:
                schema = {"anyOf": [schema, {"$ref": "#/components/schemas/ErrorOut"}]}
            entry["content"] = {JSON: {"schema": schema}}
        out[str(status)] = entry
    return out


def _parameters(op: Operation | None, route: RouteSpec, models: _Models) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for name in PATH_PARAM.findall(route.path)
    ]
    if op is not None and op.query is not None:
        schema = models.inline(op.query)
        required = set(schema.get("required", ()))
        for name, prop in schema.get("properties", {}).items():
            param: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
            param["schema"] = _without_null(prop)
            if "description" in prop:
                param["description"] = prop["description"]
            params.append(param)
    return params


def _request_body(op: Operation, models: _Models) -> dict[str, Any] | None:
    if op.request is None:
        return None
    required = any(field.is_required() for field in op.request.model_fields.values())
    return {
        "required": required,
        "content": {op.request_content_type: {"schema": models.ref(op.request, "validation")}},
    }


def _operation(route: RouteSpec, models: _Models, *, control_token: bool) -> dict[str, Any]:
    handler = handler_of(route.handler)
    op = operation_of(handler)
    module = handler.__module__.rsplit(".", 1)[-1]
    doc = (handler.__doc__ or "").strip()
    out: dict[str, Any] = {
        "operationId": f"{module}.{handler.__name__}",
        "summary": op.summary if op is not None else (doc.splitlines()[0] if doc else handler.__name__),
        "tags": ["control"] if route.control else [module],
    }
    params = _parameters(op, route, models)
    if params:
        out["parameters"] = params
    if op is not None:
        body = _request_body(op, models)
        if body is not None:
            out["requestBody"] = body
    out["responses"] = _responses(op, route, models)
    if route.open:
        out["security"] = []
    elif not route.tenant:
        out["security"] = [{MOCK_TOKEN: []}] if control_token else []
    else:
        out["security"] = [{BEARER: [], MOCK_TOKEN: []}] if route.control and control_token else [{BEARER: []}]
    return out


def _page_paths() -> dict[str, Any]:
    """The inspector's HTML page and assets: served without a key, holding no tenant data."""

    def html(summary: str, operation_id: str, media: str, *, parameters: list[dict[str, Any]] | None = None) -> Any:
        responses: dict[str, Any] = {"200": {"description": "OK", "content": {media: {"schema": {"type": "string"}}}}}
        if parameters:
            responses["404"] = _error_response(404)
        out: dict[str, Any] = {
            "operationId": operation_id,
            "summary": summary,
            "tags": ["inspector"],
            "security": [],
            "responses": responses,
        }
        if parameters:
            out["parameters"] = parameters
        return {"get": out}

    asset = [{"name": "name", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}]
    return {
        "/": {
            "get": {
                "operationId": "ui.home",
                "summary": "Redirects to the inspector",
                "tags": ["inspector"],
                "security": [],
                "responses": {
                    "307": {
                        "description": "Temporary Redirect to /_mock/ui",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        UI_PATH: html("The inspector page (its scripts call the control API)", "ui.inspector", "text/html"),
        STATIC_PATH.replace(":path", ""): html(
            "A static asset of the inspector (stylesheet, script module)", "ui.asset", "text/css", parameters=asset
        ),
    }


def build_document(routes: Iterable[RouteSpec], *, control_token: bool = False, version: str = "0") -> dict[str, Any]:
    """The OpenAPI document of ``routes``; ``control_token`` says whether ``/_mock`` needs X-Mock-Token."""
    routes = list(routes)
    models = _Models(routes)
    paths: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for route in routes:
        operation = _operation(route, models, control_token=control_token)
        # A public handler also served under /_mock (the inspector's reads) is a second operation.
        if operation["operationId"] in seen:
            operation["operationId"] = f"control.{operation['operationId']}"
        seen.add(operation["operationId"])
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    queries = {op.query for op in map(operation_of, (r.handler for r in routes)) if op is not None and op.query}
    models.prune(paths, queries)
    paths[DOC_PATH] = {
        "get": {
            "operationId": "openapi.get_document",
            "summary": "This document",
            "tags": ["meta"],
            "security": [],
            "responses": {
                "200": {
                    "description": "OK",
                    "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
                    "content": {JSON: {"schema": {"type": "object", "required": ["openapi", "paths"]}}},
                }
            },
        }
    }
    paths.update(_page_paths())
    paths.update(consent.openapi_paths())
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "socialapi-mock",
            "version": version,
            "description": "Offline, stateful mock of the SocialAPI.AI publishing API. The public API lives under "
            "/v1; the mock's own control plane under /_mock (tag `control`).",
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": "control", "description": "The mock's control plane: clock, reset, state, scenarios"}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(models.components.items())),
            "securitySchemes": {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key, `sapi_key_...`; each key is its own tenant.",
                },
                MOCK_TOKEN: {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Mock-Token",
                    "description": "Needed on every /_mock call when the server runs with --control-token.",
                },
            },
            "headers": {
                "X-Request-ID": {
                    "description": "The request's id: the client's X-Request-ID when well formed, else generated.",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
                }
            },
        },
    }


def document_endpoint(
    routes: Iterable[RouteSpec],
    *,
    control_token: bool,
    version: str,
    request_id: Callable[[Request], str],
) -> Callable[[Request], Any]:
    """A Starlette endpoint serving the document, built on first request (served without auth)."""
    routes = list(routes)
    cache: list[bytes] = []

    async def serve(request: Request) -> Response:
        if not cache:
            cache.append(orjson.dumps(build_document(routes, control_token=control_token, version=version)))
        response = Response(cache[0], media_type=JSON)
        response.headers["X-Request-ID"] = request_id(request)
        return response

    return serve
