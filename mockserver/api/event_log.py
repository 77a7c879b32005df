"""``GET /v1/events`` and ``GET /v1/events/summary``: the developer event log, as the SDK's ``events`` reads it.

The list is ``{"events", "pagination", "retention_days"}`` rather than the usual ``data`` envelope;
``metadata`` is never null and the summary's three maps are always present (the SDK fails otherwise).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mockserver.api.http import Call, Reply
from mockserver.api.journal import instant, parse_query, platform_name
from mockserver.api.spec import operation
from mockserver.core.event_log import DEFAULT_LIMIT, MAX_LIMIT, LogEvent, LogQuery
from mockserver.core.timefmt import format_instant


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class EventsQuery(_Query):
    category: str | None = Field(default=None, description="post, account, webhook")
    status: Literal["ok", "failed"] | None = None
    platform: str | None = None
    account_id: str | None = None
    resource_id: str | None = Field(default=None, description="a post id, account id or webhook delivery id")
    action: str | None = Field(default=None, description="post.published, publish, webhook.delivery, ...")
    from_: str | None = Field(default=None, alias="from", description="RFC 3339, inclusive")
    to: str | None = Field(default=None, description="RFC 3339, inclusive")
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


class SummaryQuery(_Query):
    from_: str | None = Field(default=None, alias="from", description="RFC 3339; default: the retention window")
    to: str | None = Field(default=None, description="RFC 3339; default: now")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class EventOut(_Out):
    id: str
    category: str
    action: str
    status: Literal["ok", "failed"]
    platform: str | None
    account_id: str | None
    resource_id: str | None
    summary: str
    error_message: str | None
    error_category: str | None
    status_code: int | None
    duration_ms: int | None
    metadata: dict[str, Any]
    created_at: str


class EventsPaginationOut(_Out):
    has_more: bool
    limit: int
    next_cursor: str | None


class EventsListOut(_Out):
    events: list[EventOut]
    pagination: EventsPaginationOut
    retention_days: int


class EventsSummaryOut(_Out):
    total: int
    total_previous: int
    failed: int
    by_category: dict[str, int]
    by_error_category: dict[str, int]
    inbox_breakdown: dict[str, int]
    retention_days: int


@operation(
    "The developer event log, newest first: post transitions, deliveries, webhook attempts, account changes",
    query=EventsQuery,
    responses={200: EventsListOut},
    errors=(400, 401),
)
def list_events(call: Call) -> Reply:
    query = parse_query(EventsQuery, call)
    page = call.backend.list_log_events(
        LogQuery(
            category=query.category,
            status=query.status,
            platform=platform_name(query.platform, "platform"),
            account_id=query.account_id,
            resource_id=query.resource_id,
            action=query.action,
            since=instant(query.from_, "from") if query.from_ else None,
            until=instant(query.to, "to") if query.to else None,
            limit=query.limit,
            cursor=query.cursor,
        )
    )
    return Reply(
        {
            "events": [event_json(event) for event in page.events],
            "pagination": {"has_more": page.has_more, "limit": page.limit, "next_cursor": page.next_cursor},
            "retention_days": page.retention_days,
        }
    )


@operation("Event counts for a window", query=SummaryQuery, responses={200: EventsSummaryOut}, errors=(400, 401))
def get_events_summary(call: Call) -> Reply:
    query = parse_query(SummaryQuery, call)
    summary = call.backend.summarize_log_events(
        instant(query.from_, "from") if query.from_ else None, instant(query.to, "to") if query.to else None
    )
    return Reply(
        {
            "total": summary.total,
            "total_previous": summary.total_previous,
            "failed": summary.failed,
            "by_category": summary.by_category,
            "by_error_category": summary.by_error_category,
            # The mock has no inbox: nothing arrives there.
            "inbox_breakdown": {},
            "retention_days": summary.retention_days,
        }
    )


def event_json(event: LogEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "category": event.category,
        "action": event.action,
        "status": event.status,
        "platform": event.platform,
        "account_id": event.account_id,
        "resource_id": event.resource_id,
        "summary": event.summary,
        "error_message": event.error_message,
        "error_category": event.error_category,
        "status_code": event.status_code,
        "duration_ms": event.duration_ms,
        "metadata": dict(event.metadata),
        "created_at": format_instant(event.at),
    }
