"""The request journal: what each request asked and got, kept compact until someone reads it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from mockserver.core.paths import PathPattern
from mockserver.core.timefmt import format_instant

# Request ids the pytest handle gives its own calls: they are not the user's traffic, so listing and
# verifying leave them out.
HANDLE_ID_PREFIX = "socialapi-mock-handle-"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    method: str
    path: str
    query_string: bytes
    status: int
    body: Any
    request_id: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        # Parsed when read, not when recorded: recording sits on every request's hot path.
        return {
            "method": self.method,
            "path": self.path,
            "query": dict(parse_qsl(self.query_string.decode("latin-1"), keep_blank_values=True)),
            "status": self.status,
            "body": self.body,
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
