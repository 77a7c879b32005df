"""The request journal: what each request asked and got, kept compact until someone reads it.

An entry keeps a text copy of the request body, at most ``BODY_TEXT_MAX`` bytes, and the body's
original size; never the parsed structure, which for a hostile body can cost a hundred times its
size and may not serialize back. ``body_truncated`` says when the text is not the whole body
byte for byte (cut at the limit, or not UTF-8): such a copy can be shown but not matched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

import pydantic_core

from mockserver.core.bounds import MAX_JSON_DEPTH
from mockserver.core.paths import PathPattern
from mockserver.core.timefmt import format_instant

BODY_TEXT_MAX = 4096
# What ``parse_json_text`` answers for a text that is not JSON (None is the JSON value null).
NOT_JSON: Any = object()
# Request ids the pytest handle gives its own calls: they are not the user's traffic, so they are not
# journaled at all (no room taken, nothing to leave out when listing or verifying).
HANDLE_ID_PREFIX = "socialapi-mock-handle-"


# Not frozen: a frozen dataclass sets each of its 14 fields through object.__setattr__, which made
# recording an entry a tenth of a create's time; nothing changes an entry once it is journaled.
@dataclass(slots=True)
class JournalEntry:
    method: str
    path: str
    query_string: bytes
    status: int
    body: str | None
    request_id: str
    at: datetime
    body_size: int = 0
    body_truncated: bool = False
    # The response, kept the same way as the request body.
    response: str | None = None
    response_size: int = 0
    response_truncated: bool = False
    # What the mock itself made the request wait (a scenario's latency_ms): deterministic, unlike
    # a measured duration, so the journal of a replayed script stays byte-identical.
    latency_ms: int = 0
    # What the body said that was not read as sent (unknown keys, coerced values): X-Mock-Warnings.
    warnings: tuple[str, ...] = ()

    @classmethod
    def record(
        cls,
        method: str,
        path: str,
        query_string: bytes,
        status: int,
        raw: bytes,
        request_id: str,
        at: datetime,
        *,
        response: bytes = b"",
        latency_ms: int = 0,
        warnings: tuple[str, ...] = (),
    ) -> JournalEntry:
        """An entry for a request whose body was ``raw``, keeping at most ``BODY_TEXT_MAX`` bytes of it."""
        body, body_size, body_truncated = _text_copy(raw)
        answer, answer_size, answer_truncated = _text_copy(response)
        return cls(
            method,
            path,
            query_string,
            status,
            body,
            request_id,
            at,
            body_size,
            body_truncated,
            answer,
            answer_size,
            answer_truncated,
            latency_ms,
            warnings,
        )

    def json_body(self) -> tuple[bool, Any]:
        """``(True, value)`` when the stored text is the whole body and is JSON, else ``(False, None)``."""
        return _json_of(self.body, self.body_truncated)

    def to_json(self) -> dict[str, Any]:
        # Parsed when read, not when recorded: recording sits on every request's hot path.
        parsed, value = self.json_body()
        answered, answer = _json_of(self.response, self.response_truncated)
        return {
            "method": self.method,
            "path": self.path,
            "query": dict(parse_qsl(self.query_string.decode("latin-1"), keep_blank_values=True)),
            "status": self.status,
            "body": value if parsed else self.body,
            "body_size": self.body_size,
            "body_truncated": self.body_truncated,
            "request_id": self.request_id,
            "at": format_instant(self.at),
            "response_body": answer if answered else self.response,
            "response_size": self.response_size,
            "response_truncated": self.response_truncated,
            "latency_ms": self.latency_ms,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class JournalFilter:
    """``GET /_mock/requests`` filters; ``limit`` keeps the newest entries (still listed oldest first)."""

    method: str | None = None
    path: PathPattern | None = None
    status: int | None = None
    since: datetime | None = None
    request_id: str | None = None
    limit: int | None = None

    def admits(self, entry: JournalEntry) -> bool:
        return (
            (self.method is None or entry.method == self.method)
            and (self.path is None or self.path.matches(entry.path))
            and (self.status is None or entry.status == self.status)
            and (self.since is None or entry.at >= self.since)
            and (self.request_id is None or entry.request_id == self.request_id)
        )

    def apply(self, entries: Iterable[JournalEntry]) -> list[JournalEntry]:
        found = [entry for entry in entries if self.admits(entry)]
        if self.limit is not None:
            del found[: max(len(found) - self.limit, 0)]
        return found


def _text_copy(raw: bytes) -> tuple[str | None, int, bool]:
    """At most ``BODY_TEXT_MAX`` bytes of ``raw`` as text, its size, and whether the text is not all of it."""
    if not raw:
        return None, 0, False
    kept = raw[:BODY_TEXT_MAX]
    try:
        text = kept.decode("utf-8")
        exact = len(kept) == len(raw)
    except UnicodeDecodeError:
        text = kept.decode("utf-8", "replace")
        exact = False
    return text, len(raw), not exact


def _json_of(text: str | None, truncated: bool) -> tuple[bool, Any]:
    if text is None or truncated:
        return False, None
    value = parse_json_text(text)
    return (False, None) if value is NOT_JSON else (True, value)


def parse_json_text(text: str) -> Any:
    """The JSON value of a kept text, or ``NOT_JSON`` when it is not JSON or nests deeper than the API takes."""
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and not _shallow(text):
        return NOT_JSON
    try:
        # pydantic's parser: a third of json.loads' time, which verify pays once per body it compares.
        return pydantic_core.from_json(text)
    except ValueError:
        return NOT_JSON


def _shallow(text: str) -> bool:
    """Whether JSON ``text`` nests at most ``MAX_JSON_DEPTH`` levels (brackets inside strings count too)."""
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return False
        elif char in "]}":
            depth -= 1
    return True
