"""The request journal: what each request asked and got, kept compact until someone reads it.

An entry keeps a text copy of the request body, at most ``BODY_TEXT_MAX`` bytes, and the body's
original size; never the parsed structure, which for a hostile body can cost a hundred times its
size and may not serialize back. ``body_truncated`` says when the text is not the whole body
byte for byte (cut at the limit, or not UTF-8): such a copy can be shown but not matched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from mockserver.core.bounds import MAX_JSON_DEPTH
from mockserver.core.paths import PathPattern
from mockserver.core.timefmt import format_instant

BODY_TEXT_MAX = 4096
# Request ids the pytest handle gives its own calls: they are not the user's traffic, so listing and
# verifying leave them out.
HANDLE_ID_PREFIX = "socialapi-mock-handle-"


@dataclass(frozen=True, slots=True)
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

    @classmethod
    def record(
        cls, method: str, path: str, query_string: bytes, status: int, raw: bytes, request_id: str, at: datetime
    ) -> JournalEntry:
        """An entry for a request whose body was ``raw``, keeping at most ``BODY_TEXT_MAX`` bytes of it."""
        if not raw:
            return cls(method, path, query_string, status, None, request_id, at)
        kept = raw[:BODY_TEXT_MAX]
        try:
            text = kept.decode("utf-8")
            exact = len(kept) == len(raw)
        except UnicodeDecodeError:
            text = kept.decode("utf-8", "replace")
            exact = False
        return cls(method, path, query_string, status, text, request_id, at, len(raw), not exact)

    def json_body(self) -> tuple[bool, Any]:
        """``(True, value)`` when the stored text is the whole body and is JSON, else ``(False, None)``."""
        if self.body is None or self.body_truncated:
            return False, None
        if self.body.count("[") + self.body.count("{") > MAX_JSON_DEPTH and not _shallow(self.body):
            return False, None
        try:
            return True, json.loads(self.body)
        except ValueError:
            return False, None

    def to_json(self) -> dict[str, Any]:
        # Parsed when read, not when recorded: recording sits on every request's hot path.
        parsed, value = self.json_body()
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


def users_entries(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    """The entries of the user's own requests: the pytest handle's calls left out."""
    return [entry for entry in entries if not entry.request_id.startswith(HANDLE_ID_PREFIX)]


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
