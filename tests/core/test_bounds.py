"""The nesting check every JSON body and free-form object goes through, against a plain recursive count."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockserver.core.bounds import depth_exceeds

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=2), children, max_size=4),
    max_leaves=40,
)


def nesting(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((nesting(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((nesting(v) for v in value), default=0)
    return 0


@given(json_values, st.integers(min_value=0, max_value=12))
def test_depth_exceeds_agrees_with_a_recursive_count(value: Any, limit: int) -> None:
    assert depth_exceeds(value, limit) is (nesting(value) > limit)


def test_an_empty_container_at_the_limit_still_counts_as_a_level() -> None:
    assert depth_exceeds([{}, {"x": [[[]]]}], 4)
    assert not depth_exceeds([{}, {"x": [[[]]]}], 5)


def test_a_wide_shallow_body_is_not_too_deep() -> None:
    assert not depth_exceeds([{} for _ in range(100_000)], 2)
    assert depth_exceeds([{} for _ in range(100_000)], 1)
