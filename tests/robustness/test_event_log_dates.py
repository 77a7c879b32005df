"""Issue 21: every combination of ``from`` and ``to`` on the event log answers 200 or a 400 naming the
field, never a 500 (a window reaching year 9999 made the summary's previous window underflow)."""

from __future__ import annotations

import itertools

import httpx
import pytest

from mockserver import MockServer
from tests.conftest import ACCOUNTS
from tests.robustness.helpers import client

INSTANTS = [
    None,
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59+01:00",
    "9999-12-31T23:59:59-01:00",
    "1970-01-01T00:00:00Z",
    "1970-01-01T00:00:00+01:00",
    "1970-01-01T00:00:00-01:00",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "2026-01-01T00:00:00Z",
    "10000-01-01T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "not an instant",
]


@pytest.mark.parametrize("path", ["/v1/events/summary", "/v1/events"])
def test_every_from_and_to_combination_is_a_200_or_a_400(server: MockServer, path: str) -> None:
    http: httpx.Client = client(server, "sapi_key_dates")
    post = {"text": "x", "publish_now": True, "targets": [{"account_id": ACCOUNTS["linkedin"]}]}
    assert http.post("/v1/posts", json=post).status_code == 201
    answers: dict[tuple[str | None, str | None], int] = {}
    for start, end in itertools.product(INSTANTS, INSTANTS):
        params = {name: value for name, value in (("from", start), ("to", end)) if value is not None}
        response = http.get(path, params=params)
        answers[start, end] = response.status_code
        if response.status_code == 400:
            assert response.json()["error"]["meta"]["field"] in ("from", "to")
    assert {status for status in answers.values()} <= {200, 400}, {k: v for k, v in answers.items() if v >= 500}
    assert answers["2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] == 200
    assert answers[None, "9999-12-31T23:59:59Z"] == 200
