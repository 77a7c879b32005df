"""Verify's fast paths (pre-filters, lower bounds, early stop) against a brute-force reading of the rule.

The rule: an entry matches when every given field agrees; the nearest misses are the three
non-matching entries with the fewest differences, the newest first on a tie.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mockserver.core.journal import NOT_JSON, JournalEntry
from mockserver.core.paths import PathPattern
from mockserver.core.verification import (
    NEAREST,
    NOT_GIVEN,
    Bounds,
    RequestExpectation,
    matcher,
    subset_differences,
    verify,
)

AT = datetime(2026, 1, 1, tzinfo=UTC)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["a", "b", 'q"t', "x\\y", "é"]))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
    max_leaves=8,
)
bodies = st.one_of(
    st.none().map(lambda _: b""),
    json_values.map(lambda value: json.dumps(value).encode()),
    json_values.map(lambda value: json.dumps(value, ensure_ascii=False, indent=1).encode()),
    st.just(b"not json"),
    st.just(b'{"a": "' + b"x" * 5000 + b'"}'),  # kept only in part
)
entries = st.lists(
    st.builds(
        lambda method, path, query, raw, n: JournalEntry.record(method, path, query, 200, raw, f"r{n}", AT),
        st.sampled_from(["GET", "POST", "DELETE"]),
        st.sampled_from(["/v1/posts", "/v1/posts/p1", "/v1/media"]),
        st.sampled_from([b"", b"limit=1", b"limit=2&x="]),
        bodies,
        st.integers(0, 10**6),
    ),
    max_size=25,
)
expectations = st.builds(
    RequestExpectation,
    st.none() | st.sampled_from(["GET", "POST"]),
    st.none() | st.sampled_from(["/v1/posts", "/v1/posts/{pid}"]).map(PathPattern),
    st.just(NOT_GIVEN) | json_values,
    st.none() | st.sampled_from([{"limit": "1"}, {"x": ""}]),
)


@settings(max_examples=300)
@given(entries, expectations, st.integers(0, 3))
def test_verify_counts_and_ranks_misses_as_the_rule_says(
    journal: list[JournalEntry], expectation: RequestExpectation, count: int
) -> None:
    verdict = verify(journal, expectation, Bounds(count=count))
    differences = [expectation.differences(entry) for entry in journal]
    assert verdict.matched == sum(1 for found in differences if not found)
    if verdict.passed:
        assert verdict.nearest == []
        return
    ranked = sorted((len(found), order) for order, found in enumerate(differences) if found)[:NEAREST]
    assert [(len(miss.differences), _position(journal, miss.entry)) for miss in verdict.nearest] == ranked
    assert [miss.differences for miss in verdict.nearest] == [differences[order] for _, order in ranked]


def _position(journal: list[JournalEntry], entry: JournalEntry) -> int:
    # By identity: two entries recorded alike are equal, and the rule tells them apart by position.
    return next(order for order, candidate in enumerate(journal) if candidate is entry)


@example({"a": True}, {"a": 1})  # JSON tells true from 1, Python's == does not
@example({"a": 0}, {"a": False})
@example({"a": [True]}, {"a": [1]})
@example({"a": None}, {})
@given(json_values, json_values)
def test_the_matcher_is_subset_differences_finding_nothing(expected: Any, actual: Any) -> None:
    assert matcher(expected)(actual) is (not subset_differences(expected, actual, "json"))


@given(json_values)
def test_a_body_that_is_not_json_matches_no_expectation(expected: Any) -> None:
    assert not matcher(expected)(NOT_JSON)


def test_a_body_written_with_escapes_still_matches_its_plain_text_expectation() -> None:
    # "é" arrives as \u00e9 in the text of an ASCII-only client: the quick text search cannot see it.
    journal = [JournalEntry.record("POST", "/v1/posts", b"", 201, json.dumps({"text": "café"}).encode(), "r1", AT)]
    assert verify(journal, RequestExpectation(json={"text": "café"}), Bounds(count=1)).passed


def _posted(method: str, body: dict[str, Any]) -> JournalEntry:
    return JournalEntry.record(method, "/v1/posts", b"", 200, json.dumps(body).encode(), f"r{body}", AT)


def _nearest_bodies(journal: list[JournalEntry], expectation: RequestExpectation) -> list[tuple[str, str | None]]:
    verdict = verify(journal, expectation, Bounds(count=1))
    return [(miss.entry.method, miss.entry.body) for miss in verdict.nearest]


def test_a_newer_entry_that_differs_in_another_field_still_ranks_first() -> None:
    # Newest first: a GET with the wanted body, then POSTs whose bodies differ; one difference each.
    journal = [_posted("GET", {"a": 1}), *(_posted("POST", {"a": n}) for n in (2, 3, 4))]
    nearest = _nearest_bodies(journal, RequestExpectation("POST", PathPattern("/v1/posts"), {"a": 1}))
    assert nearest == [("GET", '{"a": 1}'), ("POST", '{"a": 2}'), ("POST", '{"a": 3}')]


def test_an_older_entry_with_fewer_differences_ranks_before_newer_ones() -> None:
    journal = [*(_posted("POST", {"a": n, "b": n}) for n in (2, 3, 4)), _posted("GET", {"a": 1, "b": 1})]
    nearest = _nearest_bodies(journal, RequestExpectation("POST", PathPattern("/v1/posts"), {"a": 1, "b": 1}))
    assert nearest == [("GET", '{"a": 1, "b": 1}'), ("POST", '{"a": 2, "b": 2}'), ("POST", '{"a": 3, "b": 3}')]
