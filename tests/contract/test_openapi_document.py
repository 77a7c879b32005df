"""``GET /openapi.json``: what the generated document promises, checked against the route tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.api.app import CONTROL, PUBLIC
from mockserver.api.openapi import build_document, route_specs
from mockserver.api.spec import operation_of
from mockserver.testing import sync_transport

ROUTES = [(m, p, h, False) for m, p, h in PUBLIC] + [(m, p, h, True) for m, p, h in CONTROL]
IDS = [f"{m} {p}" for m, p, _, _ in ROUTES]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    server = MockServer()
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as http:
        response = http.get("/openapi.json")  # no Authorization header: the document is public
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"]
    body: dict[str, Any] = response.json()
    return body


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def test_the_document_is_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearer"]["description"],
    }


@pytest.mark.parametrize(("method", "path", "handler", "control"), ROUTES, ids=IDS)
def test_every_route_is_documented(
    document: dict[str, Any], method: str, path: str, handler: Any, control: bool
) -> None:
    assert operation_of(handler) is not None, f"{handler.__qualname__} has no @operation(...) metadata"
    op = document["paths"][path][method.lower()]
    assert op["security"] == [{"bearer": []}]
    assert "401" in op["responses"]
    assert ("control" in op["tags"]) is control
    declared = {name for name in re.findall(r"{([^}]+)}", path)}
    assert {p["name"] for p in op.get("parameters", []) if p["in"] == "path"} == declared


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    components = document["components"]
    for ref in set(refs(document)):
        section, name = ref.removeprefix("#/components/").split("/")
        assert name in components[section], ref


@pytest.mark.parametrize(("method", "path", "handler", "control"), ROUTES, ids=IDS)
def test_request_schemas_are_the_models_the_handlers_parse(
    document: dict[str, Any], method: str, path: str, handler: Any, control: bool
) -> None:
    spec = operation_of(handler)
    assert spec is not None
    op = document["paths"][path][method.lower()]
    if spec.request is None:
        assert "requestBody" not in op
        return
    ref = op["requestBody"]["content"][spec.request_content_type]["schema"]["$ref"]
    component = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    model = spec.request.model_json_schema()
    assert set(component.get("properties", {})) == set(model.get("properties", {}))
    assert set(component.get("required", [])) == set(model.get("required", []))


def test_the_list_query_is_documented_as_parameters(document: dict[str, Any]) -> None:
    params = {p["name"]: p for p in document["paths"]["/v1/posts"]["get"]["parameters"]}
    assert {"from", "to", "limit", "cursor", "sort", "status", "hidden"} <= set(params)
    assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}
    assert params["from"]["schema"] == {"type": "string", "format": "date-time"}
    assert not any(p["required"] for p in params.values())


def test_a_control_token_is_declared_when_the_server_needs_one() -> None:
    server = MockServer(Settings(control_token="secret"))
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as http:
        doc = http.get("/openapi.json").json()
    for method, path, _ in CONTROL:
        assert doc["paths"][path][method.lower()]["security"] == [{"bearer": [], "mockToken": []}]
    for method, path, _ in PUBLIC:
        assert doc["paths"][path][method.lower()]["security"] == [{"bearer": []}]


def test_the_document_is_the_same_on_every_build() -> None:
    routes = route_specs(PUBLIC, CONTROL)
    assert build_document(routes) == build_document(routes)
