"""``GET /v1/events`` and ``GET /v1/events/summary``: the developer event log, as the SDK's ``events`` reads it."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.query import instant, platform_name
from mockserver.api.shapes.events import EventsListOut, EventsQuery, EventsSummaryOut, SummaryQuery
from mockserver.api.spec import operation
from mockserver.core.events.log import LogQuery


@operation(
    "The developer event log, newest first: post transitions, deliveries, webhook attempts, account changes",
    query=EventsQuery,
    responses={200: EventsListOut},
    errors=(400, 401),
)
def list_events(call: Call) -> Reply:
    query = call.parse_query(EventsQuery)
    page = call.backend.events.list_log_events(
        LogQuery(
            category=query.category,
            status=query.status,
            platform=platform_name(query.platform, "platform"),
            account_id=query.account_id,
            resource_id=query.resource_id,
            action=query.action,
            since=instant(query.from_, "from"),
            until=instant(query.to, "to"),
            limit=query.limit,
            cursor=query.cursor,
        )
    )
    return Reply(EventsListOut.of(page))


@operation("Event counts for a window", query=SummaryQuery, responses={200: EventsSummaryOut}, errors=(400, 401))
def get_events_summary(call: Call) -> Reply:
    query = call.parse_query(SummaryQuery)
    summary = call.backend.events.summarize_log_events(instant(query.from_, "from"), instant(query.to, "to"))
    return Reply(EventsSummaryOut.of(summary))
