"""Issue 21: the hostile battery walks the app's own route table.

Every route the app serves (public, control, server-wide, probes, capability URLs, the consent page,
the inspector, the OpenAPI document) is taken from ``app.routes`` and sent the same battery: deep and
huge JSON, wrong types, odd Unicode, bad and extreme instants, unknown and odd ids, oversized headers
and query strings. No answer may be a 5xx, and every call must answer within a generous ceiling (a
hang, not a speed check). A route added tomorrow is attacked with no new test written.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from starlette.routing import Route

from mockserver import MockServer
from mockserver.api.app import CONTROL, PUBLIC
from mockserver.api.spec import operation_of
from tests.conftest import ACCOUNTS, IMAGE
from tests.robustness.helpers import client
from tests.robustness.test_hostile_input import nested

CEILING_SECONDS = 5.0
SERVER = MockServer()
ROUTES = [
    (method, route)
    for route in SERVER.app.routes
    if isinstance(route, Route)
    for method in sorted(route.methods or ())
    if method != "HEAD"  # answered by the GET handler
]

ODD = "\u202e\u200b\U0001f4a9\ufeffé\x7f"
WIDEST_WINDOW = ["1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]
EXTREME_INSTANTS = ["9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00+01:00", "2026-02-30T00:00:00Z", "-1"]
ODD_IDS = [quote(ODD, safe=""), "a" * 300, "..", "%00", "p_01KDVDNA00N2JG97Q9T8K979YF"]
HUGE = b"[" + b"0," * (512 * 1024) + b"0]"  # just over 1 MiB


def model_fields(route: Route, method: str, part: str) -> list[str]:
    """The names of the route's request body or query fields (``part``), as sent on the wire."""
    for handler in _handlers(route, method):
        spec = operation_of(handler)
        model = getattr(spec, part, None)
        if model is not None:
            return sorted(info.alias or name for name, info in model.model_fields.items())
    return ["text", "name", "url", "targets"] if part == "request" else ["from", "to", "since", "limit", "cursor"]


def _handlers(route: Route, method: str) -> Iterator[Any]:
    for table_method, path, handler in [*PUBLIC, *CONTROL]:
        if table_method == method and path == route.path:
            yield handler


def battery(fields: list[str], query: list[str]) -> list[dict[str, Any]]:
    """The hostile requests for one route: keyword arguments for ``httpx.Client.request``."""
    json_type = {"Content-Type": "application/json"}

    def every_query_field(values: list[str]) -> dict[str, Any]:
        return {"params": {name: values[n % len(values)] for n, name in enumerate(query)}}

    return [
        {"content": json.dumps(nested(300)), "headers": json_type},
        {"content": HUGE, "headers": json_type},
        {"content": json.dumps({name: [[{}], 1e308, None] for name in fields}), "headers": json_type},
        {"content": json.dumps({name: ODD * 50 for name in fields}), "headers": json_type},
        {"content": b"\xff\xfe{\x00", "headers": json_type},
        {"content": b"[" * 20_000 + b"]" * 20_000, "headers": {"Content-Type": "application/yaml"}},
        every_query_field(EXTREME_INSTANTS),
        every_query_field(WIDEST_WINDOW),
        every_query_field([ODD, str(10**30), "/v1/{a}{b}", "-1"]),
        {"params": {**{f"q{n}": "v" for n in range(500)}, "long": "v" * 60_000}},
        {"headers": {"X-Request-ID": "r" * 60_000, "X-Padding": "h" * 60_000, "Content-Type": ODD.encode().hex()}},
        {"headers": {"Authorization": "Bearer sapi_key_" + "k" * 10_000, "X-Mock-Token": "t" * 10_000}},
    ]


def seeded(http: httpx.Client) -> dict[str, str]:
    """Real ids of this tenant's resources, so the battery reaches past the lookups."""
    post = {"text": "seeded", "targets": [{"account_id": ACCOUNTS["linkedin"]}], "publish_now": True}
    published = http.post("/v1/posts", json=post).json()["id"]
    hook = http.post("/v1/webhooks", json={"url": "https://example.com/hook", "events": ["post.published"]}).json()
    http.post("/_mock/sinks", json={"name": "walk"})
    return {
        "pid": published,
        "media_id": IMAGE,
        "account_id": ACCOUNTS["linkedin"],
        "webhook_id": hook["id"],
        "name": "walk",
    }


def fill(path: str, values: dict[str, str], default: str) -> str:
    out = path
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1].split(":")[0]
            out = out.replace(part, values.get(name, default), 1)
    return out


def answered_within(
    caller: ThreadPoolExecutor, http: httpx.Client, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """The answer, which must come within the ceiling (the call runs on ``caller``, so a hang is seen)."""
    pending = caller.submit(http.request, method, url, **kwargs)
    try:
        return pending.result(timeout=CEILING_SECONDS)
    except TimeoutError:
        raise AssertionError(f"{method} {url[:80]} did not answer within {CEILING_SECONDS} s") from None


@pytest.mark.parametrize(("method", "route"), ROUTES, ids=[f"{m} {r.path}" for m, r in ROUTES])
def test_every_route_answers_the_hostile_battery_without_a_5xx_or_a_hang(method: str, route: Route) -> None:
    key = f"sapi_key_walk_{zlib.crc32(f'{method} {route.path}'.encode())}"
    http = client(SERVER, key)
    ids = seeded(http)
    seeded_path = fill(route.path, ids, "x")
    hostile = battery(model_fields(route, method, "request"), model_fields(route, method, "query"))
    calls = [(seeded_path, kwargs) for kwargs in hostile]
    if "{" in route.path:
        calls += [(fill(route.path, {}, odd), {}) for odd in ODD_IDS]
    failures: list[str] = []
    caller = ThreadPoolExecutor(max_workers=1)
    try:
        for path, kwargs in calls:
            response = answered_within(caller, http, method, path, **kwargs)
            # 501 resource.not_supported is the real API's answer for a platform without the feature.
            deliberate = response.status_code == 501 and "resource.not_supported" in response.text
            if response.status_code >= 500 and not deliberate:
                failures.append(f"{response.status_code} for {path[:60]} {str(kwargs)[:120]}: {response.text[:200]}")
    finally:
        caller.shutdown(wait=False)
    assert not failures, "\n".join(failures)
