"""``GET /_mock/events``: the tenant's event outbox, the record every webhook delivery is made from."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.control import EVENTS_LIMIT_MAX, EventListOut, EventListQuery
from mockserver.api.spec import operation
from mockserver.core.errors import ValidationFailed


@operation(
    "The tenant's recorded events, oldest first (filter by ?event=a,b and ?post_id=; ?limit=N keeps the newest N)",
    query=EventListQuery,
    responses={200: EventListOut},
    errors=(400, 401),
)
def list_events(call: Call) -> Reply:
    limit_text = call.query.get("limit", "")
    if limit_text and not (limit_text.isdigit() and 1 <= int(limit_text) <= EVENTS_LIMIT_MAX):
        raise ValidationFailed.invalid("limit", f"limit must be an integer between 1 and {EVENTS_LIMIT_MAX}")
    limit = int(limit_text) if limit_text else None
    wanted = {name for name in call.query.get("event", "").split(",") if name}
    post_id = call.query.get("post_id") or None
    with call.backend.lock:
        records = list(call.backend.events)
    data = [
        r
        for r in records
        if (not wanted or r["event"] in wanted) and (post_id is None or r["data"].get("post_id") == post_id)
    ]
    return Reply(EventListOut.of(data[-limit:] if limit else data))
