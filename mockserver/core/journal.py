"""The request journal: what each request asked and got, kept compact until someone reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from mockserver.core.timefmt import format_instant


@dataclass(frozen=True, slots=True)
class JournalEntry:
    method: str
    path: str
    query_string: bytes
    status: int
    body: Any
    request_id: str
    at: datetime
    # What the body said that was not read as sent (unknown keys, coerced values): X-Mock-Warnings.
    warnings: tuple[str, ...] = ()

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
            "warnings": list(self.warnings),
        }
