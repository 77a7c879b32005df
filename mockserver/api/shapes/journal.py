"""``/_mock/requests`` filters and ``/_mock/deliveries``: the delivery log's query and record shapes.

The journal entry itself is ``JournalEntryOut`` in ``control.py``; ``/_mock/verify`` reports its
nearest misses in these same two shapes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mockserver.api.shapes.common import Out
from mockserver.core.records.attempts import AttemptRecord
from mockserver.core.timefmt import format_instant


class StrictQuery(BaseModel):
    """A ``/_mock`` query string: a misspelt filter would silently match everything, so it is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RequestsQuery(StrictQuery):
    method: str | None = Field(default=None, max_length=16, description="HTTP method, any case")
    path: str | None = Field(default=None, description="a literal path or a route template such as /v1/posts/{pid}")
    status: int | None = Field(default=None, ge=100, le=599)
    since: str | None = Field(default=None, description="entries at or after this fake instant (RFC 3339)")
    request_id: str | None = Field(default=None, max_length=200)
    limit: int | None = Field(default=None, ge=1, description="keep the newest N matching entries")


class AttemptsQuery(StrictQuery):
    platform: str | None = None
    account_id: str | None = None
    post_id: str | None = None
    outcome: Literal["published", "failed"] | None = None


class AttemptErrorOut(Out):
    code: str | None
    message: str
    category: str
    caused_by: str


class AttemptOut(Out):
    post_id: str
    account_id: str
    platform: str
    page_id: str | None
    attempt: int
    at: str
    text: str
    title: str | None
    media_ids: list[str]
    platform_data: dict[str, Any] | None
    outcome: Literal["published", "failed"]
    error: AttemptErrorOut | None
    scenario_rule: str | None = Field(description="the scenario rule that decided, as <scenario>.deliveries[<i>]")
    latency_ms: int

    @staticmethod
    def of(record: AttemptRecord) -> AttemptOut:
        error = record.error
        return AttemptOut.build(
            {
                "post_id": record.post_id,
                "account_id": record.account_id,
                "platform": record.platform,
                "page_id": record.page_id,
                "attempt": record.attempt,
                "at": format_instant(record.at),
                "text": record.text,
                "title": record.title,
                "media_ids": list(record.media_ids),
                "platform_data": None if record.platform_data is None else dict(record.platform_data),
                "outcome": record.outcome,
                "error": None
                if error is None
                else AttemptErrorOut.build(
                    {
                        "code": error.code,
                        "message": error.message,
                        "category": error.category,
                        "caused_by": error.caused_by,
                    }
                ),
                "scenario_rule": record.scenario_rule,
                "latency_ms": record.latency_ms,
            }
        )


class AttemptListOut(Out):
    data: list[AttemptOut]

    @staticmethod
    def of(records: list[AttemptRecord]) -> AttemptListOut:
        return AttemptListOut.build({"data": [AttemptOut.of(record) for record in records]})
