"""Verification: how many journal entries or deliveries match an expectation, and the nearest misses.

An expectation lists fields; an entry matches when every given field agrees. When a count is not
met, the three entries that came closest (fewest differing fields, newest first on a tie) are
reported with each difference as ``field``, ``expected``, ``actual``, so a person reads why nothing
matched without opening a debugger.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import parse_qsl

from mockserver.core.journal import NOT_JSON, JournalEntry, parse_json_text
from mockserver.core.paths import PathPattern
from mockserver.core.records.attempts import AttemptRecord
from mockserver.core.slices import Pacer, Slices, run_to_end

E = TypeVar("E")
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
    # Quoted keys and strings of ``json`` that a matching body's text must contain (see ``_may_match_json``).
    needles: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        if self.has_json:
            object.__setattr__(self, "needles", tuple(dict.fromkeys(_needles(self.json))))

    @property
    def has_json(self) -> bool:
        return self.json is not NOT_GIVEN

    def select(self, entries: list[JournalEntry]) -> list[JournalEntry]:
        """The entries that match, in the order given: one cheap pass per given field, the JSON body last."""
        found = entries
        if self.method is not None:
            found = [entry for entry in found if entry.method == self.method]
        if self.path is not None:
            exact, matches = self.path.exact, self.path.matches
            found = (
                [entry for entry in found if entry.path == exact]
                if exact is not None
                else [entry for entry in found if matches(entry.path)]
            )
        if self.query is not None:
            found = [entry for entry in found if not self._query_differences(entry.query_string)]
        if self.has_json:
            possible = self._may_match_json(found)
            json_matches = matcher(self.json)
            found = [
                entry
                for entry, may in zip(found, possible, strict=True)
                if may and json_matches(parse_json_text(entry.body or ""))
            ]
        return found

    def cheap_matches(self, entries: list[JournalEntry]) -> Iterator[int]:
        """The positions of the entries whose method, path and query match, in order, found lazily."""
        for order, entry in enumerate(entries):
            if not self._cheap_differences(entry.method, entry.path, entry.query_string):
                yield order

    def lower_bound(self, entry: JournalEntry, enough: int) -> int:
        """A number of differences ``entry`` has at least, told without parsing its body.

        The text search of a JSON expectation is skipped once the cheap fields reach ``enough``.
        """
        misses = 0
        if self.method is not None and entry.method != self.method:
            misses = 1
        if self.path is not None and not self.path.matches(entry.path):
            misses += 1
        if self.query is not None:
            misses += len(self._query_differences(entry.query_string))
        if misses < enough and self.has_json and not self._may_match_json([entry])[0]:
            misses += 1
        return misses

    def differences(self, entry: JournalEntry) -> list[Difference]:
        return self._cheap_differences(entry.method, entry.path, entry.query_string) + self._json_differences(entry)

    def _may_match_json(self, entries: list[JournalEntry]) -> list[bool]:
        """For each entry, False when its body certainly misses the JSON expectation, told without parsing it.

        A body with no backslash has no escapes, so every string in it appears in its text as written;
        a body kept only in part cannot match at all.
        """
        texts = ["" if entry.body_truncated or entry.body is None else entry.body for entry in entries]
        possible = [bool(text) for text in texts]
        for needle in self.needles:
            possible = [may and ("\\" in text or needle in text) for may, text in zip(possible, texts, strict=True)]
        return possible

    def _cheap_differences(self, method: str, path: str, query_string: bytes) -> list[Difference]:
        found: list[Difference] = []
        if self.method is not None and method != self.method:
            found.append(Difference("method", self.method, method))
        if self.path is not None and not self.path.matches(path):
            found.append(Difference("path", self.path.text, path))
        if self.query is not None:
            found += self._query_differences(query_string)
        return found

    def _query_differences(self, query_string: bytes) -> list[Difference]:
        assert self.query is not None
        actual = dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))
        return [
            Difference(f"query.{name}", value, actual.get(name, MISSING))
            for name, value in self.query.items()
            if actual.get(name, MISSING) != value
        ]

    def _json_differences(self, entry: JournalEntry) -> list[Difference]:
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


def matcher(expected: Any) -> Callable[[Any], bool]:
    """Whether a parsed body contains ``expected``: ``subset_differences`` finding none, as a predicate.

    The same rule, answered without building the differences (verify asks it of every candidate body
    and wants the differences of only the few nearest misses). ``NOT_JSON`` never matches. The usual
    expectation, an object of plain values, is checked key by key with no recursion.
    """
    if isinstance(expected, dict) and not any(isinstance(value, dict | list) for value in expected.values()):
        pairs = tuple(expected.items())

        def flat(actual: Any) -> bool:
            if not isinstance(actual, dict):
                return False
            for key, value in pairs:
                got = actual.get(key, NOT_JSON)
                if got is NOT_JSON or got != value or isinstance(got, bool) != isinstance(value, bool):
                    return False
            return True

        return flat
    return lambda actual: actual is not NOT_JSON and _contains(expected, actual)


def _contains(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and _contains(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_contains(item, actual[i]) for i, item in enumerate(expected))
        )
    return bool(expected == actual and isinstance(expected, bool) == isinstance(actual, bool))


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

    def select(self, records: list[AttemptRecord]) -> list[AttemptRecord]:
        found = records
        for name in ("platform", "account_id", "post_id", "outcome"):
            wanted = getattr(self, name)
            if wanted is not None:
                found = [record for record in found if getattr(record, name) == wanted]
        if self.text_contains is not None:
            found = [record for record in found if self.text_contains in record.text]
        return found

    def cheap_matches(self, records: list[AttemptRecord]) -> Iterator[int]:
        return iter(())  # every field is cheap: a record that matches them all is a match, not a miss

    def lower_bound(self, record: AttemptRecord, enough: int) -> int:
        return len(self.differences(record))

    def differences(self, record: AttemptRecord) -> list[Difference]:
        found: list[Difference] = []
        for name in ("platform", "account_id", "post_id", "outcome"):
            wanted = getattr(self, name)
            actual = getattr(record, name)
            if wanted is not None and wanted != actual:
                found.append(Difference(name, wanted, actual))
        if self.text_contains is not None and self.text_contains not in record.text:
            found.append(Difference("text_contains", self.text_contains, record.text))
        return found


# -- the count -------------------------------------------------------------------------------------


class Expectation(Protocol[E]):
    def select(self, entries: list[E], /) -> list[E]: ...
    def cheap_matches(self, entries: list[E], /) -> Iterator[int]: ...
    def lower_bound(self, entry: E, enough: int, /) -> int: ...
    def differences(self, entry: E, /) -> list[Difference]: ...


def verify(entries: Iterable[E], expectation: Expectation[E], bounds: Bounds) -> Verdict[E]:
    """Count the entries ``expectation`` matches; when ``bounds`` fail, find the nearest misses.

    ``entries`` is read newest first, so ties among misses go to the most recent entries.
    """
    return run_to_end(verify_in_slices(entries, expectation, bounds))


def verify_in_slices(
    entries: Iterable[E], expectation: Expectation[E], bounds: Bounds, pacer: Pacer | None = None
) -> Slices[Verdict[E]]:
    """``verify`` as slices (``core/slices.py``): a full journal and the largest expectation take
    hundreds of milliseconds, which would otherwise hold every tenant."""
    pacer = pacer or Pacer()
    listed = entries if isinstance(entries, list) else list(entries)
    matching: list[E] = []
    for start in range(0, len(listed), _CHUNK):
        matching += expectation.select(listed[start : start + _CHUNK])
        if pacer.spent():
            yield
            pacer.restart()
    verdict: Verdict[E] = Verdict(len(matching), bounds)
    if not verdict.passed:
        verdict.nearest = yield from _nearest_misses_in_slices(listed, expectation, pacer)
        limit = bounds.count if bounds.count is not None else bounds.at_most
        if limit is not None and verdict.matched > limit:
            verdict.examples = matching[:NEAREST]
    return verdict


# Entries matched between two looks at the pacer: small enough that a chunk of the costliest
# entries (every body searched for 256 needles) stays within a slice.
_CHUNK = 32


def nearest_misses(entries: list[E], expectation: Expectation[E]) -> list[Miss[E]]:
    """The ``NEAREST`` entries with the fewest differences (the newest first on a tie), matches left out."""
    return run_to_end(_nearest_misses_in_slices(entries, expectation, Pacer()))


def _nearest_misses_in_slices(entries: list[E], expectation: Expectation[E], pacer: Pacer) -> Slices[list[Miss[E]]]:
    found = _near_misses_by_one_field(entries, expectation)
    if found:
        return found
    return (yield from _nearest_by_lower_bound(entries, expectation, pacer))


class _Nearest(Generic[E]):
    """The best ``NEAREST`` misses seen so far, ranked by (differences, order)."""

    def __init__(self, entries: list[E], expectation: Expectation[E]) -> None:
        self.entries = entries
        self.expectation = expectation
        self.kept: list[tuple[int, int]] = []  # (differences, order), best first
        self.found: dict[int, list[Difference]] = {}

    @property
    def full(self) -> bool:
        return len(self.kept) == NEAREST

    def worst(self) -> tuple[int, int]:
        return self.kept[-1]

    def consider(self, order: int) -> None:
        differences = self.expectation.differences(self.entries[order])
        candidate = (len(differences), order)
        if differences and (not self.full or candidate < self.kept[-1]):
            self.found[order] = differences
            bisect.insort(self.kept, candidate)
            del self.kept[NEAREST:]

    def misses(self) -> list[Miss[E]]:
        return [Miss(self.entries[order], self.found[order]) for _, order in self.kept]


# How far back from the newest entry the shortcut below is worth it, rather than the general search.
_SHORTCUT_REACH = 256


def _near_misses_by_one_field(entries: list[E], expectation: Expectation[E]) -> list[Miss[E]]:
    """The common miss, found without bounding every entry: entries that differ in one field only.

    The newest entries whose cheap fields all match usually differ in one field (the JSON body). When
    the first ``NEAREST`` of them differ in exactly one, only a newer entry with one difference could
    still rank before them, so the entries before the last of them are all that is left to look at.
    Empty when the shortcut does not apply.
    """
    nearest = _Nearest(entries, expectation)
    for order in expectation.cheap_matches(entries[:_SHORTCUT_REACH]):
        nearest.consider(order)
        if nearest.full:
            break
    if not nearest.full or nearest.worst()[0] != 1:
        return []
    for order in range(nearest.worst()[1]):
        if order not in nearest.found:
            nearest.consider(order)
    return nearest.misses()


def _nearest_by_lower_bound(entries: list[E], expectation: Expectation[E], pacer: Pacer) -> Slices[list[Miss[E]]]:
    """Every entry in order, its differences worked out only when its lower bound could beat those kept.

    Entries come newest first, so an entry that can only tie the worst kept miss cannot replace it.
    """
    nearest = _Nearest(entries, expectation)
    lower_bound = expectation.lower_bound
    worst: int | None = None  # the differences of the worst kept miss, once there are NEAREST
    for order, entry in enumerate(entries):
        if pacer.spent():
            yield
            pacer.restart()
        if worst is not None and lower_bound(entry, worst) >= worst:
            continue
        nearest.consider(order)
        if nearest.full:
            worst = nearest.worst()[0]
    return nearest.misses()
