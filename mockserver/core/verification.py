"""Verification: how many journal entries or deliveries match an expectation, and the nearest misses.

An expectation lists fields; an entry matches when every given field agrees. When a count is not
met, the three entries that came closest (fewest differing fields, newest first on a tie) are
reported with each difference as ``field``, ``expected``, ``actual``, so a person reads why nothing
matched without opening a debugger.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import parse_qsl

from mockserver.core.deliveries import DeliveryRecord
from mockserver.core.journal import JournalEntry
from mockserver.core.paths import PathPattern

E = TypeVar("E")
E_contra = TypeVar("E_contra", contravariant=True)
NEAREST = 3
# How a missing key or element shows in a difference's ``actual``.
MISSING = "<missing>"


@dataclass(frozen=True, slots=True)
class Difference:
    field: str
    expected: Any
    actual: Any


@dataclass(frozen=True, slots=True)
class Bounds:
    """``count`` exactly, or between ``at_least`` and ``at_most``; nothing given means at least one."""

    count: int | None = None
    at_least: int | None = None
    at_most: int | None = None

    def admits(self, matched: int) -> bool:
        if self.count is not None:
            return matched == self.count
        if self.at_least is None and self.at_most is None:
            return matched >= 1
        return (self.at_least is None or matched >= self.at_least) and (self.at_most is None or matched <= self.at_most)

    def describe(self) -> str:
        if self.count is not None:
            return f"exactly {self.count}"
        if self.at_least is None and self.at_most is None:
            return "at least 1"
        if self.at_most is None:
            return f"at least {self.at_least}"
        if self.at_least is None:
            return f"at most {self.at_most}"
        return f"between {self.at_least} and {self.at_most}"


@dataclass(frozen=True, slots=True)
class Miss(Generic[E]):
    entry: E
    differences: list[Difference]


@dataclass(slots=True)
class Verdict(Generic[E]):
    matched: int
    bounds: Bounds
    nearest: list[Miss[E]] = field(default_factory=list)
    # Some of the entries that matched, when more matched than allowed.
    examples: list[E] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.bounds.admits(self.matched)


# -- requests --------------------------------------------------------------------------------------

NOT_GIVEN: Any = object()


@dataclass(frozen=True, slots=True)
class RequestExpectation:
    method: str | None = None
    path: PathPattern | None = None
    # A subset the JSON body must contain; ``NOT_GIVEN`` when the expectation says nothing about it.
    json: Any = NOT_GIVEN
    query: Mapping[str, str] | None = None
    # Quoted keys and strings of ``json`` that a matching body's text must contain (see ``surely_differs``).
    needles: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        if self.has_json:
            object.__setattr__(self, "needles", tuple(dict.fromkeys(_needles(self.json))))

    @property
    def has_json(self) -> bool:
        return self.json is not NOT_GIVEN

    def surely_differs(self, entry: JournalEntry) -> bool:
        """Whether the body certainly misses the JSON expectation, told without parsing it.

        A body with no backslash has no escapes, so every string in it appears in its text as written.
        """
        if not self.has_json:
            return False
        body = entry.body
        if body is None or entry.body_truncated:
            return True
        if "\\" in body:
            return False
        return any(needle not in body for needle in self.needles)

    def cheap_misses(self, entry: JournalEntry) -> int:
        """How many of the cheap fields differ (``cheap_differences`` without building them)."""
        if self.query is not None:
            return len(self.cheap_differences(entry))
        misses = 0
        if self.method is not None and entry.method != self.method:
            misses = 1
        if self.path is not None and not self.path.matches(entry.path):
            misses += 1
        return misses

    def cheap_differences(self, entry: JournalEntry) -> list[Difference]:
        found: list[Difference] = []
        if self.method is not None and entry.method != self.method:
            found.append(Difference("method", self.method, entry.method))
        if self.path is not None and not self.path.matches(entry.path):
            found.append(Difference("path", self.path.text, entry.path))
        if self.query is not None:
            actual = dict(parse_qsl(entry.query_string.decode("latin-1"), keep_blank_values=True))
            for name, value in self.query.items():
                if actual.get(name, MISSING) != value:
                    found.append(Difference(f"query.{name}", value, actual.get(name, MISSING)))
        return found

    def costly_differences(self, entry: JournalEntry) -> list[Difference]:
        if not self.has_json:
            return []
        body, problem = json_body(entry)
        if problem is not None:
            return [Difference("json", self.json, problem)]
        return subset_differences(self.json, body, "json")


def _needles(expected: Any) -> list[str]:
    if isinstance(expected, dict):
        found = [_quoted(key) for key in expected]
        for value in expected.values():
            found += _needles(value)
        return [needle for needle in found if needle]
    if isinstance(expected, list):
        return [needle for item in expected for needle in _needles(item)]
    return [_quoted(expected)] if isinstance(expected, str) and _quoted(expected) else []


def _quoted(text: Any) -> str:
    """``"text"`` as it appears in JSON with no escapes; empty when JSON would have to escape it."""
    if not isinstance(text, str) or '"' in text or "\\" in text or any(ord(c) < 0x20 for c in text):
        return ""
    return f'"{text}"'


def request_expectation(
    *,
    method: str | None = None,
    path: str | None = None,
    json: Any = NOT_GIVEN,
    query: Mapping[str, str] | None = None,
) -> RequestExpectation:
    return RequestExpectation(
        method.upper() if method is not None else None,
        PathPattern(path) if path is not None else None,
        json,
        query,
    )


def json_body(entry: JournalEntry) -> tuple[Any, str | None]:
    """The entry's body as JSON data, or why it cannot be compared with a JSON expectation."""
    if entry.body is None:
        return None, "<no body>"
    if entry.body_truncated:
        return None, (
            f"<body of {entry.body_size} bytes kept only in part in the journal: a json expectation cannot match it>"
        )
    parsed, value = entry.json_body()
    if not parsed:
        return None, "<body is not JSON>"
    return value, None


def subset_differences(expected: Any, actual: Any, where: str) -> list[Difference]:
    """Where ``actual`` fails to contain ``expected``: objects by key (extra keys allowed), lists item by item."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [Difference(where, expected, actual)]
        found: list[Difference] = []
        for key, value in expected.items():
            if key not in actual:
                found.append(Difference(f"{where}.{key}", value, MISSING))
            else:
                found.extend(subset_differences(value, actual[key], f"{where}.{key}"))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [Difference(where, expected, actual)]
        return [d for i, item in enumerate(expected) for d in subset_differences(item, actual[i], f"{where}[{i}]")]
    # JSON tells true from 1, which Python's == does not.
    if expected != actual or isinstance(expected, bool) != isinstance(actual, bool):
        return [Difference(where, expected, actual)]
    return []


# -- deliveries ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryExpectation:
    platform: str | None = None
    account_id: str | None = None
    post_id: str | None = None
    text_contains: str | None = None
    outcome: str | None = None

    def cheap_misses(self, record: DeliveryRecord) -> int:
        return len(self.cheap_differences(record))

    def cheap_differences(self, record: DeliveryRecord) -> list[Difference]:
        found: list[Difference] = []
        for name in ("platform", "account_id", "post_id", "outcome"):
            wanted = getattr(self, name)
            actual = getattr(record, name)
            if wanted is not None and wanted != actual:
                found.append(Difference(name, wanted, actual))
        if self.text_contains is not None and self.text_contains not in record.text:
            found.append(Difference("text_contains", self.text_contains, record.text))
        return found

    def surely_differs(self, record: DeliveryRecord) -> bool:
        return False

    def costly_differences(self, record: DeliveryRecord) -> list[Difference]:
        return []


# -- the count -------------------------------------------------------------------------------------


class Expectation(Protocol[E_contra]):
    def cheap_misses(self, entry: E_contra, /) -> int: ...
    def cheap_differences(self, entry: E_contra, /) -> list[Difference]: ...
    def surely_differs(self, entry: E_contra, /) -> bool: ...
    def costly_differences(self, entry: E_contra, /) -> list[Difference]: ...


def verify(entries: Iterable[E], expectation: Expectation[E], bounds: Bounds) -> Verdict[E]:
    """Count the entries ``expectation`` matches; when ``bounds`` fail, find the nearest misses.

    ``entries`` is read newest first, so ties among misses go to the most recent entries. The costly
    comparison (a JSON body) is skipped for an entry that cannot beat the misses already kept.
    """
    matched = 0
    examples: list[E] = []
    # A max-heap on (differences, order) through negation: the worst kept miss is on top.
    kept: list[tuple[int, int, int, Miss[E]]] = []
    worst = None  # the differences of the worst kept miss, once NEAREST are kept
    cheap_misses = expectation.cheap_misses
    surely_differs = expectation.surely_differs
    for order, entry in enumerate(entries):
        misses = cheap_misses(entry)
        if worst is not None and (misses >= worst or (misses + 1 >= worst and surely_differs(entry))):
            continue
        costly = expectation.costly_differences(entry)
        if not misses and not costly:
            matched += 1
            if len(examples) < NEAREST:
                examples.append(entry)
            continue
        differences = expectation.cheap_differences(entry) + costly if misses else costly
        item = (-len(differences), -order, order, Miss(entry, differences))
        if len(kept) < NEAREST:
            heapq.heappush(kept, item)
        elif item > kept[0]:
            heapq.heapreplace(kept, item)
        if len(kept) == NEAREST:
            worst = -kept[0][0]
    verdict: Verdict[E] = Verdict(matched, bounds)
    if not verdict.passed:
        verdict.nearest = [miss for _, _, _, miss in sorted(kept, key=lambda k: (-k[0], k[2]))]
        limit = bounds.count if bounds.count is not None else bounds.at_most
        if limit is not None and matched > limit:
            verdict.examples = examples
    return verdict
