"""``GET /_mock/events``: the tenant's event outbox, the record every webhook delivery is made from."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.control import EventListOut, EventListQuery
from mockserver.api.spec import operation


@operation(
    "The tenant's recorded events, oldest first (filter by ?event=a,b and ?post_id=; ?limit=N keeps the newest N)",
    query=EventListQuery,
    responses={200: EventListOut},
    errors=(400, 401),
)
def list_event_records(call: Call) -> Reply:
    query = call.parse_query(EventListQuery)
    wanted, post_id, limit = query.events(), query.post_id, query.limit
    records = call.backend.event_records()
    data = [r for r in records if (not wanted or r.event in wanted) and (post_id is None or r.post_id == post_id)]
    return Reply(EventListOut.of(data[-limit:] if limit else data))
