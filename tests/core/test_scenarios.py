from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, get_args

import pytest
import yaml

from mockserver.core.errors import LimitReached, ScenarioInvalid
from mockserver.core.models import PLATFORMS, TargetError
from mockserver.core.scenarios import (
    MAX_DOCUMENTS,
    DeliveryContext,
    DeliveryDecision,
    Platform,
    RequestContext,
    RequestFault,
    ScenarioDocument,
    ScenarioEngine,
    parse_scenario,
)

AT = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
FAIL = {"code": "platform.instagram.rate_limit", "message": "slow down", "category": "rate_limit"}
PUBLISH = "/v1/posts/{pid}/publish"
RESPOND = {"status": 503, "code": "system.internal", "message": "try again"}


def document(name: str = "t", **rules: Any) -> ScenarioDocument:
    return parse_scenario({"name": name, "description": "test", **rules})


def engine(*, seed: int = 1, **rules: Any) -> ScenarioEngine:
    result = ScenarioEngine(seed=seed)
    result.activate(document(**rules))
    return result


def delivery(
    platform: str = "instagram",
    *,
    account_id: str = "acc_1",
    text: str = "hello world",
    attempt: int = 1,
    at: datetime = AT,
) -> DeliveryContext:
    return DeliveryContext(platform=platform, account_id=account_id, text=text, attempt=attempt, at=at)


def request(method: str = "POST", path: str = "/v1/posts", at: datetime = AT) -> RequestContext:
    return RequestContext(method=method, path=path, at=at)


def fails(eng: ScenarioEngine, ctx: DeliveryContext | None = None) -> bool:
    decision = eng.decide_delivery(ctx or delivery())
    return decision is not None and decision.error is not None


def invalid(data: object, *, source: str = "<inline>") -> ScenarioInvalid:
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(data, source=source)
    return info.value


# --- schema -----------------------------------------------------------------------------------


def test_minimal_document_has_no_rules() -> None:
    doc = parse_scenario({"name": "quiet", "description": "nothing happens"})
    assert (doc.name, doc.deliveries, doc.requests) == ("quiet", (), ())


def test_full_document_parses() -> None:
    doc = document(
        deliveries=[
            {
                "match": {"platform": "instagram", "attempt": 2, "from": "2026-01-01T12:00:00+02:00"},
                "times": 2,
                "probability": 0.5,
                "latency_ms": 10,
                "fail": {**FAIL, "caused_by": "system"},
            }
        ],
        requests=[{"match": {"method": "post", "path": "/v1/posts/{pid}"}, "respond": {**RESPOND, "retry_after": 2}}],
    )
    rule = doc.deliveries[0]
    assert rule.match.from_ == datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    assert rule.fail is not None and rule.fail.caused_by == "system"
    assert doc.requests[0].match.method == "POST"
    assert doc.requests[0].respond is not None and doc.requests[0].respond.retry_after == 2


def test_parsed_document_passes_through() -> None:
    doc = document()
    assert parse_scenario(doc) is doc


def test_platform_choices_are_the_api_slugs() -> None:
    assert get_args(Platform) == PLATFORMS


def test_caused_by_defaults_to_platform() -> None:
    fail = document(deliveries=[{"fail": FAIL}]).deliveries[0].fail
    assert fail is not None and fail.caused_by == "platform"


def test_error_names_source_and_field_path() -> None:
    bad = {"name": "x", "description": "d", "deliveries": [{"fail": {**FAIL, "category": "oops"}}]}
    error = invalid(bad, source="scenarios/x.yaml")
    assert str(error).startswith("scenarios/x.yaml: deliveries[0].fail.category: Input should be 'validation', ")
    assert error.code == "validation.field_invalid"
    assert error.meta == {"field": "deliveries[0].fail.category"}


@pytest.mark.parametrize(
    ("rules", "field", "allowed"),
    [
        ({"deliverys": []}, "deliverys", "arrivals, checks, deliveries, description, name, requests"),
        ({"deliveries": [{"match": {"platfrom": "instagram"}}]}, "deliveries[0].match.platfrom",
         "account_id, after, attempt, from, platform, text_contains, until"),
        ({"deliveries": [{"fail": {**FAIL, "catgory": "x"}}]}, "deliveries[0].fail.catgory",
         "category, caused_by, code, message"),
        ({"deliveries": [{"time": 2}]}, "deliveries[0].time", "fail, latency_ms, match, probability, times"),
        ({"requests": [{"match": {"paht": "/v1/posts"}}]}, "requests[0].match.paht",
         "after, from, method, path, until"),
        ({"requests": [{"respond": {**RESPOND, "retryafter": 2}}]}, "requests[0].respond.retryafter",
         "code, headers, message, meta, retry_after, status"),
        ({"requests": [{"latency": 2}]}, "requests[0].latency", "latency_ms, match, probability, respond, times"),
        ({"deliveries": [{"match": {"from_": "2026-01-01T00:00:00Z"}}]}, "deliveries[0].match.from_",
         "account_id, after, attempt, from, platform, text_contains, until"),
    ],
)  # fmt: skip
def test_unknown_keys_are_rejected_with_their_path(rules: dict[str, Any], field: str, allowed: str) -> None:
    error = invalid({"name": "x", "description": "d", **rules})
    assert str(error) == f"<inline>: {field}: unknown key (allowed: {allowed})"
    assert error.meta["field"] == field


def test_an_error_without_a_source_names_the_inline_document() -> None:
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario({"name": "x"})
    assert str(info.value) == "<inline>: description: Field required"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"description": "d"}, "name"),
        ({"name": "x"}, "description"),
        ({"name": "x", "description": "d", "deliveries": [{"fail": {"code": "a.b", "category": "auth"}}]},
         "deliveries[0].fail.message"),
        ({"name": "x", "description": "d", "requests": [{"respond": {"code": "a", "message": "m"}}]},
         "requests[0].respond.status"),
    ],
)  # fmt: skip
def test_missing_fields_are_field_required(data: dict[str, Any], field: str) -> None:
    error = invalid(data)
    assert error.code == "validation.field_required"
    assert error.meta == {"field": field}
    assert f"{field}: Field required" in str(error)


@pytest.mark.parametrize(("data", "kind"), [(None, "NoneType"), ([], "list"), ("name: x", "str"), (3, "int")])
def test_document_must_be_a_mapping(data: object, kind: str) -> None:
    assert str(invalid(data, source="f.json")) == f"f.json: a scenario document must be a mapping, not {kind}"


def test_every_error_is_listed() -> None:
    error = invalid({"name": "", "description": "d", "requests": [{"times": 0}]})
    assert str(error) == (
        "<inline>: name: String should have at least 1 character; "
        "requests[0].times: Input should be greater than or equal to 1"
    )
    assert error.meta == {"field": "name"}


@pytest.mark.parametrize(
    ("match", "message"),
    [
        ({"from": "2026-01-01T12:00:00Z", "until": "2026-01-01T11:00:00Z"},
         "deliveries[0].match: `until` must be later than `from`, or the rule can never match"),
        ({"from": datetime(2026, 1, 1, 12, 0)}, "deliveries[0].match.from: the timestamp needs a UTC offset or Z"),
        ({"until": 720}, "deliveries[0].match.until: expected an RFC 3339 timestamp such as 2026-01-01T09:00:00Z"),
    ],
)  # fmt: skip
def test_a_refused_value_is_explained_in_plain_words(match: dict[str, Any], message: str) -> None:
    assert str(invalid({"name": "x", "description": "d", "deliveries": [{"match": match}]})) == f"<inline>: {message}"


@pytest.fixture
def local_zone_new_york() -> Iterator[None]:
    """The machine's local time zone is New York's for the test (the mock must not depend on it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "America/New_York")
        time.tzset()
        yield
    time.tzset()


@pytest.mark.usefixtures("local_zone_new_york")
def test_yaml_timestamps_are_read_as_utc_instants_whatever_the_local_zone() -> None:
    loaded = yaml.safe_load(
        "name: x\ndescription: d\n"
        "deliveries:\n  - match: {from: 2026-01-01T14:00:00+02:00, until: 2026-01-01T13:00:00Z}\n"
    )
    doc = parse_scenario(loaded, source="x.yaml")
    assert doc.to_json()["deliveries"][0]["match"] == {"from": "2026-01-01T12:00:00Z", "until": "2026-01-01T13:00:00Z"}
    eng = ScenarioEngine(seed=1)
    eng.activate(doc)
    assert eng.describe()[0]["deliveries"] == [
        {"match": {"from": "2026-01-01T12:00:00Z", "until": "2026-01-01T13:00:00Z"}, "fired": 0}
    ]


DELIVERY_BOUNDS: list[tuple[str, dict[str, Any], str]] = [
    ("probability below 0", {"probability": -0.01}, "deliveries[0].probability"),
    ("probability above 1", {"probability": 1.01}, "deliveries[0].probability"),
    ("times 0", {"times": 0}, "deliveries[0].times"),
    ("times as text", {"times": "2"}, "deliveries[0].times"),
    ("times as bool", {"times": True}, "deliveries[0].times"),
    ("negative latency", {"latency_ms": -1}, "deliveries[0].latency_ms"),
    ("latency over a minute", {"latency_ms": 60_001}, "deliveries[0].latency_ms"),
    ("unknown platform", {"match": {"platform": "myspace"}}, "deliveries[0].match.platform"),
    ("attempt 0", {"match": {"attempt": 0}}, "deliveries[0].match.attempt"),
    ("negative after", {"match": {"after": -1}}, "deliveries[0].match.after"),
    ("empty text_contains", {"match": {"text_contains": ""}}, "deliveries[0].match.text_contains"),
    ("naive from", {"match": {"from": "2026-01-01T12:00:00"}}, "deliveries[0].match.from"),
    ("integer until", {"match": {"until": 720}}, "deliveries[0].match.until"),
    ("date-only from", {"match": {"from": "2026-01-01"}}, "deliveries[0].match.from"),
    ("empty window", {"match": {"from": "2026-01-01T12:00:00Z", "until": "2026-01-01T12:00:00Z"}},
     "deliveries[0].match"),
    ("bad category", {"fail": {**FAIL, "category": "internal"}}, "deliveries[0].fail.category"),
    ("bad caused_by", {"fail": {**FAIL, "caused_by": "internal"}}, "deliveries[0].fail.caused_by"),
    ("code with spaces", {"fail": {**FAIL, "code": "rate limit"}}, "deliveries[0].fail.code"),
    ("code with a stray brace", {"fail": {**FAIL, "code": "platform.{x}.api_error"}}, "deliveries[0].fail.code"),
    ("empty message", {"fail": {**FAIL, "message": ""}}, "deliveries[0].fail.message"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "field"), [b[1:] for b in DELIVERY_BOUNDS], ids=[b[0] for b in DELIVERY_BOUNDS])
def test_delivery_rule_bounds(rule: dict[str, Any], field: str) -> None:
    assert invalid({"name": "x", "description": "d", "deliveries": [rule]}).meta == {"field": field}


REQUEST_BOUNDS: list[tuple[str, dict[str, Any], str]] = [
    ("status 399", {"respond": {**RESPOND, "status": 399}}, "requests[0].respond.status"),
    ("status 600", {"respond": {**RESPOND, "status": 600}}, "requests[0].respond.status"),
    ("negative retry_after", {"respond": {**RESPOND, "retry_after": -1}}, "requests[0].respond.retry_after"),
    ("placeholder in code", {"respond": {**RESPOND, "code": "platform.{platform}.x"}}, "requests[0].respond.code"),
    ("bad header name", {"respond": {**RESPOND, "headers": {"X Bad": "1"}}}, "requests[0].respond.headers"),
    ("header injection", {"respond": {**RESPOND, "headers": {"X-A": "1\r\nX-B: 2"}}}, "requests[0].respond.headers"),
    ("method with a space", {"match": {"method": "PO ST"}}, "requests[0].match.method"),
    ("relative path", {"match": {"path": "v1/posts"}}, "requests[0].match.path"),
    ("unclosed brace", {"match": {"path": "/v1/posts/{pid"}}, "requests[0].match.path"),
    ("query in path", {"match": {"path": "/v1/posts?x=1"}}, "requests[0].match.path"),
    ("probability above 1", {"probability": 2}, "requests[0].probability"),
    ("times 0", {"times": 0}, "requests[0].times"),
    ("latency over a minute", {"latency_ms": 60_001}, "requests[0].latency_ms"),
]


@pytest.mark.parametrize(("rule", "field"), [b[1:] for b in REQUEST_BOUNDS], ids=[b[0] for b in REQUEST_BOUNDS])
def test_request_rule_bounds(rule: dict[str, Any], field: str) -> None:
    assert invalid({"name": "x", "description": "d", "requests": [rule]}).meta == {"field": field}


def test_bounds_are_inclusive() -> None:
    doc = document(
        deliveries=[{"probability": 0, "times": 1, "latency_ms": 0}, {"probability": 1, "latency_ms": 60_000}],
        requests=[{"respond": {**RESPOND, "status": 400}}, {"respond": {**RESPOND, "status": 599}}],
    )
    assert [r.latency_ms for r in doc.deliveries] == [0, 60_000]


def test_document_is_immutable() -> None:
    doc = document()
    with pytest.raises(ValueError, match="frozen"):
        doc.name = "other"  # type: ignore[misc]


def test_to_json_round_trips() -> None:
    doc = document(
        deliveries=[{"match": {"from": "2026-01-01T13:00:00+01:00", "platform": "tiktok"}, "fail": FAIL}],
        requests=[{"match": {"method": "get", "after": 2}, "latency_ms": 5}],
    )
    data = doc.to_json()
    assert data["deliveries"][0]["match"] == {"from": "2026-01-01T12:00:00Z", "platform": "tiktok"}
    assert data["requests"][0] == {"match": {"method": "GET", "after": 2}, "latency_ms": 5}
    assert parse_scenario(json.loads(json.dumps(data))) == doc


# --- delivery matching ------------------------------------------------------------------------


def test_no_active_scenario_decides_nothing() -> None:
    eng = ScenarioEngine(seed=1)
    assert eng.decide_delivery(delivery()) is None
    assert eng.decide_request(request()) is None


def test_rule_without_match_applies_to_every_delivery() -> None:
    eng = engine(deliveries=[{"fail": FAIL}])
    assert all(fails(eng, delivery(p)) for p in PLATFORMS)


def test_failure_becomes_a_target_error() -> None:
    decision = engine(deliveries=[{"fail": {**FAIL, "caused_by": "user"}}]).decide_delivery(delivery())
    assert decision == DeliveryDecision(
        latency_ms=0,
        error=TargetError(
            message="slow down", category="rate_limit", caused_by="user", code="platform.instagram.rate_limit"
        ),
        rule="t.deliveries[0]",
    )


@pytest.mark.parametrize(
    ("match", "hit", "miss"),
    [
        ({"platform": "facebook"}, delivery("facebook"), delivery("instagram")),
        ({"account_id": "acc_2"}, delivery(account_id="acc_2"), delivery(account_id="acc_22")),
        ({"text_contains": "sale"}, delivery(text="big sale today"), delivery(text="Big SALE today")),
        ({"attempt": 2}, delivery(attempt=2), delivery(attempt=1)),
        ({"platform": "facebook", "attempt": 1}, delivery("facebook"), delivery("facebook", attempt=3)),
    ],
)
def test_delivery_matchers(match: dict[str, Any], hit: DeliveryContext, miss: DeliveryContext) -> None:
    eng = engine(deliveries=[{"match": match, "fail": FAIL}])
    assert fails(eng, hit)
    assert not fails(eng, miss)


def test_window_includes_from_and_excludes_until() -> None:
    eng = engine(
        deliveries=[{"match": {"from": "2026-01-01T12:00:00Z", "until": "2026-01-01T14:00:00Z"}, "fail": FAIL}]
    )
    second = timedelta(seconds=1)
    start, end = AT, AT + timedelta(hours=2)
    outcomes = [fails(eng, delivery(at=at)) for at in (start - second, start, end - second, end)]
    assert outcomes == [False, True, True, False]


def test_open_ended_windows() -> None:
    since = engine(deliveries=[{"match": {"from": "2026-01-01T12:00:00Z"}, "fail": FAIL}])
    before = engine(deliveries=[{"match": {"until": "2026-01-01T12:00:00Z"}, "fail": FAIL}])
    later = delivery(at=AT + timedelta(days=365))
    earlier = delivery(at=AT - timedelta(microseconds=1))
    assert (fails(since, later), fails(since, earlier)) == (True, False)
    assert (fails(before, later), fails(before, earlier)) == (False, True)


def test_window_compares_instants_across_offsets() -> None:
    eng = engine(deliveries=[{"match": {"from": "2026-01-01T13:00:00+01:00"}, "fail": FAIL}])
    assert fails(eng, delivery(at=AT))


def test_platform_placeholder_is_filled_per_delivery() -> None:
    eng = engine(deliveries=[{"fail": {**FAIL, "code": "platform.{platform}.api_error", "message": "{platform} down"}}])
    for platform in ("facebook", "tiktok", "facebook"):
        decision = eng.decide_delivery(delivery(platform))
        assert decision is not None and decision.error is not None
        assert (decision.error.code, decision.error.message) == (f"platform.{platform}.api_error", f"{platform} down")


def test_latency_is_passed_through() -> None:
    eng = engine(deliveries=[{"match": {"platform": "threads"}, "latency_ms": 2000}, {"latency_ms": 7, "fail": FAIL}])
    assert eng.decide_delivery(delivery("threads")) == DeliveryDecision(2000, None, "t.deliveries[0]")
    decision = eng.decide_delivery(delivery("tiktok"))
    assert decision is not None and decision.latency_ms == 7 and decision.error is not None


def test_first_matching_rule_wins() -> None:
    eng = engine(
        deliveries=[
            {"match": {"platform": "instagram"}, "fail": {**FAIL, "message": "first"}},
            {"fail": {**FAIL, "message": "second"}},
        ]
    )
    messages = [
        d.error.message
        for d in map(eng.decide_delivery, [delivery("instagram"), delivery("facebook")])
        if d and d.error
    ]
    assert messages == ["first", "second"]


def test_success_rule_shadows_later_failures() -> None:
    eng = engine(deliveries=[{"match": {"account_id": "acc_ok"}}, {"fail": FAIL}])
    assert eng.decide_delivery(delivery(account_id="acc_ok")) == DeliveryDecision(0, None, "t.deliveries[0]")
    assert fails(eng, delivery(account_id="acc_other"))


def test_times_limits_firings_then_falls_through() -> None:
    eng = engine(
        deliveries=[
            {"match": {"platform": "instagram"}, "times": 2, "fail": {**FAIL, "message": "limited"}},
            {"match": {"platform": "instagram"}, "times": 1, "fail": {**FAIL, "message": "fallback"}},
        ]
    )
    outcomes = [eng.decide_delivery(delivery()) for _ in range(5)]
    assert [d.error.message if d and d.error else None for d in outcomes] == [
        "limited",
        "limited",
        "fallback",
        None,
        None,
    ]


def test_times_counts_only_matching_deliveries() -> None:
    eng = engine(deliveries=[{"match": {"platform": "instagram"}, "times": 1, "fail": FAIL}])
    assert not fails(eng, delivery("facebook"))
    assert fails(eng, delivery("instagram"))
    assert not fails(eng, delivery("instagram"))


def test_after_lets_deliveries_through_first() -> None:
    eng = engine(deliveries=[{"match": {"platform": "instagram", "after": 2}, "times": 1, "fail": FAIL}])
    assert not fails(eng, delivery("facebook"))
    assert [fails(eng) for _ in range(4)] == [False, False, True, False]


# --- probability ------------------------------------------------------------------------------


def flaky_outcomes(seed: int, count: int = 200) -> list[bool]:
    eng = engine(seed=seed, deliveries=[{"probability": 0.3, "fail": FAIL}])
    return [fails(eng) for _ in range(count)]


def test_same_seed_gives_the_same_outcomes() -> None:
    assert flaky_outcomes(7) == flaky_outcomes(7)


def test_a_seed_gives_the_same_outcomes_in_every_process() -> None:
    # Pinned values: a seed must not depend on the process (no builtin hash) nor share its stream
    # with the tenant's other generators (ids, metrics).
    expected = [False] * 8 + [True, False, False, False, False, True, True, False]
    assert flaky_outcomes(7, count=16) == expected


def test_different_seed_gives_different_outcomes() -> None:
    assert flaky_outcomes(7) != flaky_outcomes(8)


def test_probability_is_roughly_honoured() -> None:
    assert 0.2 < sum(flaky_outcomes(7, count=1000)) / 1000 < 0.4


@pytest.mark.parametrize(("probability", "expected"), [(0, False), (1, True)])
def test_probability_extremes(probability: float, expected: bool) -> None:
    eng = engine(deliveries=[{"probability": probability, "fail": FAIL}])
    assert {fails(eng) for _ in range(50)} == {expected}


def test_draws_happen_only_for_otherwise_matching_rules() -> None:
    rules = [{"match": {"platform": "facebook"}, "probability": 0.5, "fail": FAIL}]
    plain, interleaved = engine(deliveries=rules), engine(deliveries=rules)
    expected = [fails(plain, delivery("facebook")) for _ in range(50)]
    observed = []
    for _ in range(50):
        assert not fails(interleaved, delivery("instagram"))
        observed.append(fails(interleaved, delivery("facebook")))
    assert observed == expected


def test_failed_draw_tries_the_next_rule_and_does_not_count() -> None:
    eng = engine(deliveries=[{"probability": 0, "fail": {**FAIL, "message": "never"}}, {"times": 1, "fail": FAIL}])
    first = eng.decide_delivery(delivery())
    assert first is not None and first.error is not None and first.error.message == "slow down"
    assert [rule["fired"] for rule in eng.describe()[0]["deliveries"]] == [0, 1]


def test_reset_reseeds_the_generator() -> None:
    eng = engine(seed=3, deliveries=[{"probability": 0.5, "fail": FAIL}])
    first = [fails(eng) for _ in range(40)]
    eng.reset()
    assert eng.documents() == []
    eng.activate(document(deliveries=[{"probability": 0.5, "fail": FAIL}]))
    assert [fails(eng) for _ in range(40)] == first


# --- request faults ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("match", "hit", "miss"),
    [
        ({"method": "POST"}, request("post", "/v1/anything"), request("GET")),
        ({"method": "delete"}, request("DELETE"), request("POST")),
        ({"path": "/v1/posts"}, request("GET", "/v1/posts"), request("GET", "/v1/posts/")),
        ({"path": PUBLISH}, request(path="/v1/posts/p_01ABC/publish"), request(path="/v1/posts/p_1/retry")),
        ({"path": PUBLISH}, request(path="/v1/posts/x-y_z/publish"), request(path="/v1/posts//publish")),
        ({"path": PUBLISH}, request(path="/v1/posts/a/publish"), request(path="/v1/posts/a/b/publish")),
        ({"path": PUBLISH}, request(path="/v1/posts/a/publish"), request(path="/v1/posts/a/publish/")),
        ({"path": "/v1/posts/{pid}"}, request(path="/v1/posts/p_1"), request(path="/v1/posts/p_1/publish")),
        ({"path": "/v1/{kind}.json"}, request(path="/v1/posts.json"), request(path="/v1/postsXjson")),
        ({"method": "POST", "path": "/v1/posts"}, request(), request("PATCH", "/v1/posts")),
        ({"from": "2026-01-01T12:00:00Z"}, request(at=AT), request(at=AT - timedelta(seconds=1))),
        ({"until": "2026-01-01T12:00:00Z"}, request(at=AT - timedelta(seconds=1)), request(at=AT)),
    ],
)  # fmt: skip
def test_request_matchers(match: dict[str, Any], hit: RequestContext, miss: RequestContext) -> None:
    eng = engine(requests=[{"match": match, "respond": RESPOND}])
    assert eng.decide_request(hit) is not None
    assert eng.decide_request(miss) is None


def test_request_fault_carries_the_response() -> None:
    respond = {**RESPOND, "retry_after": 2, "headers": {"X-Posts-Remaining": "0"}, "meta": {"plan": "free"}}
    fault = engine(requests=[{"latency_ms": 30, "respond": respond}]).decide_request(request())
    assert fault == RequestFault(
        latency_ms=30,
        status=503,
        code="system.internal",
        message="try again",
        retry_after=2,
        headers={"X-Posts-Remaining": "0"},
        meta={"plan": "free"},
    )


def test_latency_only_rule_delays_without_answering() -> None:
    fault = engine(requests=[{"latency_ms": 250}]).decide_request(request())
    assert fault == RequestFault(latency_ms=250, status=None, code=None, message=None, retry_after=None, headers={})


def test_returned_headers_are_a_copy() -> None:
    eng = engine(requests=[{"respond": {**RESPOND, "headers": {"X-A": "1"}}}])
    first = eng.decide_request(request())
    assert first is not None
    first.headers["X-A"] = "changed"
    again = eng.decide_request(request())
    assert again is not None and again.headers == {"X-A": "1"}


@pytest.mark.parametrize(("probability", "expected"), [(0, False), (1, True)])
def test_request_probability_extremes(probability: float, expected: bool) -> None:
    eng = engine(requests=[{"probability": probability, "respond": RESPOND}])
    assert {eng.decide_request(request()) is not None for _ in range(50)} == {expected}


def test_request_times() -> None:
    eng = engine(requests=[{"match": {"method": "POST", "path": "/v1/posts"}, "times": 3, "respond": RESPOND}])
    assert [eng.decide_request(request()) is not None for _ in range(5)] == [True, True, True, False, False]


def test_after_answers_only_later_requests() -> None:
    credits = {
        "status": 429,
        "code": "billing.post_limit",
        "message": "not enough post credits: need 1, have 0 remaining",
    }
    eng = engine(requests=[{"match": {"method": "POST", "path": "/v1/posts", "after": 3}, "respond": credits}])
    assert eng.decide_request(request("GET")) is None
    statuses = [(f.status if (f := eng.decide_request(request())) else None) for _ in range(6)]
    assert statuses == [None, None, None, 429, 429, 429]


def test_after_allowance_falls_through_to_later_rules() -> None:
    eng = engine(requests=[{"match": {"after": 1}, "respond": {**RESPOND, "status": 429}}, {"respond": RESPOND}])
    statuses = [(f.status if (f := eng.decide_request(request())) else None) for _ in range(3)]
    assert statuses == [503, 429, 429]


def test_after_ignores_requests_answered_by_an_earlier_rule() -> None:
    eng = engine(
        requests=[{"times": 2, "respond": RESPOND}, {"match": {"after": 1}, "respond": {**RESPOND, "status": 429}}]
    )
    statuses = [(f.status if (f := eng.decide_request(request())) else None) for _ in range(4)]
    assert statuses == [503, 503, None, 429]


def test_after_with_times() -> None:
    eng = engine(requests=[{"match": {"after": 2}, "times": 1, "respond": RESPOND}])
    assert [eng.decide_request(request()) is not None for _ in range(4)] == [False, False, True, False]


# --- engine bookkeeping -----------------------------------------------------------------------


def test_describe_reports_rules_and_fired_counts() -> None:
    eng = engine(
        name="story",
        deliveries=[{"match": {"platform": "instagram"}, "times": 2, "fail": FAIL}, {"latency_ms": 5}],
        requests=[{"match": {"path": "/v1/posts/{pid}"}, "respond": RESPOND}],
    )
    for _ in range(3):
        eng.decide_delivery(delivery())
    eng.decide_request(request(path="/v1/posts/p_1"))
    assert eng.describe() == [
        {
            "name": "story",
            "description": "test",
            "deliveries": [
                {"match": {"platform": "instagram"}, "times": 2, "fail": FAIL, "fired": 2},
                {"latency_ms": 5, "fired": 1},
            ],
            "requests": [{"match": {"path": "/v1/posts/{pid}"}, "respond": RESPOND, "fired": 1}],
        }
    ]
    json.dumps(eng.describe())


def test_documents_keep_activation_order_and_rules_span_documents() -> None:
    eng = ScenarioEngine(seed=1)
    eng.activate(document("a", deliveries=[{"match": {"platform": "instagram"}, "fail": {**FAIL, "message": "a"}}]))
    eng.activate(document("b", deliveries=[{"fail": {**FAIL, "message": "b"}}]))
    assert [d.name for d in eng.documents()] == ["a", "b"]
    decisions = [eng.decide_delivery(delivery(p)) for p in ("instagram", "facebook")]
    assert [d.error.message for d in decisions if d and d.error] == ["a", "b"]


def test_activating_the_same_name_replaces_in_place_with_fresh_counters() -> None:
    eng = ScenarioEngine(seed=1)
    eng.activate(document("a", deliveries=[{"times": 1, "fail": FAIL}]))
    eng.activate(document("b", deliveries=[{"latency_ms": 9}]))
    assert fails(eng)
    assert not fails(eng)
    eng.activate(document("a", deliveries=[{"times": 1, "fail": {**FAIL, "message": "new"}}]))
    assert [d.name for d in eng.documents()] == ["a", "b"]
    decision = eng.decide_delivery(delivery())
    assert decision is not None and decision.error is not None and decision.error.message == "new"
    assert eng.describe()[0]["deliveries"][0]["fired"] == 1


def test_duplicate_content_checks_are_on_while_a_document_asks_for_them() -> None:
    eng = ScenarioEngine(seed=1)
    assert eng.checks_duplicates is False
    eng.activate(document("plain"))
    assert eng.checks_duplicates is False
    eng.activate(document("dupes", checks=["duplicate_content"]))
    assert eng.checks_duplicates is True
    assert [d.get("checks") for d in eng.describe()] == [None, ["duplicate_content"]]
    assert eng.deactivate("dupes") is True
    assert eng.checks_duplicates is False


def test_deactivate_switches_off_one_document_by_name() -> None:
    eng = ScenarioEngine(seed=1)
    eng.activate(document("a", deliveries=[{"match": {"platform": "instagram"}, "fail": {**FAIL, "message": "a"}}]))
    eng.activate(document("b", deliveries=[{"fail": {**FAIL, "message": "b"}}]))
    assert eng.deactivate("a") is True
    assert [d.name for d in eng.documents()] == ["b"]
    decision = eng.decide_delivery(delivery("instagram"))
    assert decision is not None and decision.error is not None and decision.error.message == "b"
    assert eng.deactivate("a") is False
    assert [d.name for d in eng.documents()] == ["b"]


def test_at_most_max_documents_are_active_and_a_full_engine_still_replaces_by_name() -> None:
    eng = ScenarioEngine(seed=1)
    for number in range(MAX_DOCUMENTS):
        eng.activate(document(f"d{number}"))
    with pytest.raises(LimitReached) as caught:
        eng.activate(document("one too many"))
    assert (caught.value.code, caught.value.meta, caught.value.message) == (
        "mock.scenario_limit",
        {"limit": 32},
        "at most 32 scenario documents may be active at once; DELETE /_mock/scenarios or replace one by name",
    )
    eng.activate(document("d0", deliveries=[{"fail": FAIL}]))
    assert len(eng.documents()) == 32 and fails(eng)


def test_clear_removes_every_document() -> None:
    eng = engine(deliveries=[{"fail": FAIL}], requests=[{"respond": RESPOND}])
    eng.clear()
    assert eng.documents() == [] and eng.describe() == []
    assert eng.decide_delivery(delivery()) is None and eng.decide_request(request()) is None


def test_state_round_trips_through_json() -> None:
    rules = {
        "deliveries": [{"match": {"from": "2026-01-01T00:00:00Z"}, "times": 3, "probability": 0.5, "fail": FAIL}],
        "requests": [{"match": {"after": 1}, "times": 2, "respond": RESPOND}],
    }
    original = engine(seed=5, **rules)
    for _ in range(3):
        original.decide_delivery(delivery())
        original.decide_request(request())
    state = json.loads(json.dumps(original.getstate()))

    restored = ScenarioEngine(seed=999)
    restored.setstate(state)
    assert restored.documents() == original.documents()
    assert restored.describe() == original.describe()
    for _ in range(10):
        assert restored.decide_delivery(delivery()) == original.decide_delivery(delivery())
        assert restored.decide_request(request()) == original.decide_request(request())


def test_setstate_takes_at_most_max_documents() -> None:
    full = ScenarioEngine(seed=1)
    for number in range(MAX_DOCUMENTS):
        full.activate(document(f"d{number}"))
    state = full.getstate()
    restored = ScenarioEngine(seed=1)
    restored.setstate(state)
    assert len(restored.documents()) == 32
    state["documents"].append(state["documents"][0])
    with pytest.raises(ValueError, match=r"^at most 32 scenario documents may be active at once$"):
        ScenarioEngine(seed=1).setstate(state)


def test_setstate_rejects_counters_that_do_not_fit() -> None:
    state = engine(deliveries=[{"fail": FAIL}]).getstate()
    state["documents"][0]["deliveries"] = []
    with pytest.raises(ValueError, match="rule counters"):
        ScenarioEngine(seed=1).setstate(state)


def test_setstate_validates_documents() -> None:
    state = engine().getstate()
    state["documents"][0]["document"]["deliveries"] = [{"tims": 1}]
    with pytest.raises(ScenarioInvalid, match=r"state.documents\[0\]: deliveries\[0\].tims: unknown key"):
        ScenarioEngine(seed=1).setstate(state)
