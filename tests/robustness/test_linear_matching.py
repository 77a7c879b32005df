"""Issue 21, linear matching: path templates (journal filters, verify, scenario request rules) match
in time linear in the path; adjacent parameters, which no split could tell apart, are refused."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest

from mockserver import MockServer
from mockserver.core.paths import MAX_PATH_PARAMS, PathPattern
from tests.robustness.helpers import client
from tests.robustness.test_hostile_input import assert_envelope

KEY = "sapi_key_matching"
ADJACENT = "/v1/posts/" + "".join(f"{{p{n}}}" for n in range(16)) + "/publish"
# Eight parameters with a separator their values may contain: a backtracking regex tries every split.
SPREAD = "/v1/posts/" + "x".join(f"{{p{n}}}" for n in range(8)) + "/publish"
LONG_SEGMENT = "/v1/posts/" + "x" * 60 + "/publishes"


@pytest.fixture
def http(server: MockServer) -> httpx.Client:
    return client(server, KEY)


def answers_within(seconds: float, call: Callable[[], httpx.Response]) -> httpx.Response:
    """The answer of ``call``, which must come within ``seconds`` (a backtracking match never ends)."""
    answer: list[httpx.Response] = []
    worker = threading.Thread(target=lambda: answer.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert answer, f"no answer within {seconds} s"
    return answer[0]


def test_adjacent_parameters_are_a_400_naming_the_problem_on_every_surface(http: httpx.Client) -> None:
    listed = http.get("/_mock/requests", params={"path": ADJACENT})
    assert "side by side" in assert_envelope(listed, 400, "validation.field_invalid")["message"]
    verified = http.post("/_mock/verify", json={"requests": {"path": ADJACENT}})
    assert "side by side" in assert_envelope(verified, 400, "validation.field_invalid")["message"]
    rule = {"match": {"path": ADJACENT}, "respond": {"status": 503, "code": "x", "message": "down"}}
    scenario = http.put("/_mock/scenarios", json={"name": "adjacent", "description": "d", "requests": [rule]})
    assert scenario.status_code == 400 and "side by side" in scenario.text, scenario.text


def test_a_template_with_more_parameters_than_the_cap_is_a_400(http: httpx.Client) -> None:
    many = "/v1/" + "/".join(f"{{p{n}}}" for n in range(MAX_PATH_PARAMS + 1))
    error = assert_envelope(http.get("/_mock/requests", params={"path": many}), 400, "validation.field_invalid")
    assert f"at most {MAX_PATH_PARAMS} parameters" in error["message"]


def test_a_spread_template_against_a_long_segment_answers_at_once_on_every_surface(http: httpx.Client) -> None:
    for n in range(20):
        http.post(LONG_SEGMENT.replace("x" * 60, "x" * (40 + n)))
    listed = answers_within(5, lambda: http.get("/_mock/requests", params={"path": SPREAD}))
    assert listed.status_code == 200 and listed.json()["data"] == []
    verified = answers_within(5, lambda: http.post("/_mock/verify", json={"requests": {"path": SPREAD}}))
    assert verified.status_code == 409
    rule = {"match": {"path": SPREAD + "es"}, "respond": {"status": 503, "code": "x", "message": "down"}}
    assert http.put("/_mock/scenarios", json={"name": "spread", "description": "d", "requests": [rule]}).is_success
    answered = answers_within(5, lambda: http.post(LONG_SEGMENT.replace("publishes", "publish")))
    assert answered.status_code != 503


@pytest.mark.parametrize(
    ("template", "path", "matches"),
    [
        ("/v1/posts/{pid}", "/v1/posts/p_1", True),
        ("/v1/posts/{pid}", "/v1/posts/", False),
        ("/v1/posts/{pid}", "/v1/posts/a/b", False),
        ("/v1/posts/{pid}/publish", "/v1/posts/p_1/publish", True),
        ("/v1/media/{id}.jpg", "/v1/media/m.jpg", True),
        ("/v1/media/{id}.jpg", "/v1/media/.jpg", False),
        ("/v1/{a}-{b}", "/v1/x-y-z", True),
        ("/v1/{a}-{b}", "/v1/x-", False),
        ("/v1/{a}-{b}-{c}", "/v1/x--y", False),
        ("/v1/{a}x{b}", "/v1/xxx", True),
        ("/v1/{a}x{b}", "/v1/xx", False),
        ("/v1/a{b}c", "/v1/ac", False),
        ("/v1/a{b}c", "/v1/abc", True),
        ("/v1/{a}ab{b}", "/v1/xabab", True),
        ("/v1/{a}aa{b}", "/v1/xaa", False),
    ],
)
def test_a_template_parameter_is_one_or_more_characters_of_one_segment(template: str, path: str, matches: bool) -> None:
    assert PathPattern(template).matches(path) is matches
