"""``GET /v1/events`` and ``/v1/events/summary``: the query strings and the bodies the SDK's ``events`` parses.

The list is ``{"events", "pagination", "retention_days"}`` rather than the usual ``data`` envelope;
``metadata`` is never null and the summary's three maps are always present (the SDK fails otherwise).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mockserver.api.shapes.common import Out
from mockserver.api.shapes.journal import StrictQuery
from mockserver.core.events.log import DEFAULT_LIMIT, MAX_LIMIT, LogEvent, LogPage, LogSummary
from mockserver.core.timefmt import format_instant


class EventsQuery(StrictQuery):
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


class SummaryQuery(StrictQuery):
    from_: str | None = Field(default=None, alias="from", description="RFC 3339; default: the retention window")
    to: str | None = Field(default=None, description="RFC 3339; default: now")


class EventOut(Out):
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

    @staticmethod
    def of(event: LogEvent) -> EventOut:
        return EventOut.build(
            {
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
        )


class EventsPaginationOut(Out):
    has_more: bool
    limit: int
    next_cursor: str | None


class EventsListOut(Out):
    events: list[EventOut]
    pagination: EventsPaginationOut
    retention_days: int

    @staticmethod
    def of(page: LogPage) -> EventsListOut:
        return EventsListOut.build(
            {
                "events": [EventOut.of(event) for event in page.events],
                "pagination": EventsPaginationOut.build(
                    {"has_more": page.has_more, "limit": page.limit, "next_cursor": page.next_cursor}
                ),
                "retention_days": page.retention_days,
            }
        )


class EventsSummaryOut(Out):
    total: int
    total_previous: int
    failed: int
    by_category: dict[str, int]
    by_error_category: dict[str, int]
    inbox_breakdown: dict[str, int]
    retention_days: int

    @staticmethod
    def of(summary: LogSummary) -> EventsSummaryOut:
        return EventsSummaryOut.build(
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
