"""Hypothesis: arbitrary bodies, headers and query strings, on every route of the route tables.

Whatever arrives, the answer is never a 5xx; a refusal (4xx) comes in the error envelope and leaves
the tenant's state exactly as it was.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver import MockServer
from mockserver.api.spec import operation_of
from tests.contract.budget import fuzz_settings, tally
from tests.robustness.helpers import ROUTE_IDS, ROUTES, client, fill, fingerprint, seed_posts

KEY = "sapi_key_fuzz"
PARAM_NAMES = ("pid", "media_id", "webhook_id", "delivery_id", "id", "did")
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def body_strategy(handler: Any) -> st.SearchStrategy[Any]:
    spec = operation_of(handler)
    names = sorted(spec.request.model_fields) if spec is not None and spec.request is not None else []
    # Dicts over the model's own field names get past "not an object" and reach field validation.
    shaped = st.dictionaries(st.sampled_from(names), json_values, max_size=len(names)) if names else json_values
    return st.one_of(
        st.none(),
        json_values.map(lambda v: ("json", v)),
        shaped.map(lambda v: ("json", v)),
        st.binary(max_size=64).map(lambda v: ("raw", v)),
    )


class Tenant:
    def __init__(self) -> None:
        self.server = MockServer()
        self.http = client(self.server, KEY)
        self.ids = seed_posts(self.http)
        self.backend = self.server.tenant(KEY)


tenants: dict[str, Tenant] = {}


@pytest.mark.parametrize(("method", "path", "handler", "control"), ROUTES, ids=ROUTE_IDS)
def test_any_request_gets_a_clean_answer_and_a_refusal_changes_nothing(
    method: str, path: str, handler: Any, control: bool
) -> None:
    tenant = tenants.setdefault(f"{method} {path}", Tenant())
    known = [*tenant.ids.values(), "x", "p_01KDVDNA00N2JG97Q9T8K979YF", "/", "..", "a" * 300]

    @given(
        param=st.sampled_from(known) | st.text(min_size=1, max_size=20),
        query=st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=4),
        headers=st.dictionaries(
            st.sampled_from(["X-Request-ID", "Content-Type", "X-Mock-Token", "Accept", "X-Anything"]),
            HEADER_TEXT,
            max_size=3,
        ),
        auth=st.sampled_from([f"Bearer {KEY}"] * 4 + ["", "Bearer ", "Basic abc", "Bearer sapi_key_"]),
        body=body_strategy(handler),
    )
    @fuzz_settings(default=15)
    def attempt(param: str, query: dict[str, str], headers: dict[str, str], auth: str, body: Any) -> None:
        tally("property fuzz")
        before = fingerprint(tenant.backend)
        request_headers = {**headers, "Authorization": auth}
        content: bytes | None = None
        if body is not None:
            kind, value = body
            content = json.dumps(value).encode() if kind == "json" else value
            request_headers.setdefault("Content-Type", "application/json")
        url = fill(path, {name: quote(param, safe="") for name in PARAM_NAMES})
        response = tenant.http.request(method, url, params=query, headers=request_headers, content=content)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            error = response.json()
            assert set(error) == {"error", "request_id"}, error
            assert isinstance(error["error"]["code"], str) and error["error"]["code"]
            assert error["request_id"] == response.headers["x-request-id"]
            assert fingerprint(tenant.backend) == before, f"refused with {response.status_code} yet state changed"

    attempt()
