"""``/_mock/requests`` (the request journal, filtered, and emptied) and ``/_mock/deliveries``."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.query import instant, path_pattern, platform_name
from mockserver.api.shapes.common import SuccessOut
from mockserver.api.shapes.control import JournalEntryOut, JournalOut
from mockserver.api.shapes.journal import AttemptListOut, AttemptsQuery, RequestsQuery
from mockserver.api.spec import operation
from mockserver.core.journal import JournalFilter
from mockserver.core.posts.attempts import AttemptFilter
from mockserver.core.slices import Pacer, Slices, map_in_slices


@operation(
    "The tenant's request journal, oldest first; filter by method, path (literal or template), status, since, "
    "request_id, limit",
    query=RequestsQuery,
    responses={200: JournalOut},
    errors=(400, 401),
)
async def list_requests(call: Call) -> Reply:
    query = call.parse_query(RequestsQuery)
    wanted = JournalFilter(
        method=query.method.upper() if query.method else None,
        path=path_pattern(query.path, "path") if query.path else None,
        status=query.status,
        since=instant(query.since, "since"),
        request_id=query.request_id,
        limit=query.limit,
    )
    entries = call.backend.journal_entries()

    def filter_and_shape() -> Slices[JournalOut]:
        # A full journal, each entry's path matched and its body shaped: hundreds of milliseconds.
        pacer = Pacer()
        admitted = yield from map_in_slices(wanted.admits, entries, pacer)
        found = [entry for entry, admit in zip(entries, admitted, strict=True) if admit]
        if wanted.limit is not None:
            del found[: max(len(found) - wanted.limit, 0)]
        shaped = yield from map_in_slices(JournalEntryOut.of, found, pacer)
        return JournalOut.build({"data": shaped})

    return Reply(await call.in_slices(filter_and_shape()))


@operation("Empty the tenant's request journal", responses={200: SuccessOut}, errors=(401,))
def clear_requests(call: Call) -> Reply:
    call.backend.clear_journal()
    return Reply(SuccessOut.of())


@operation(
    "Every delivery attempt to a platform, oldest first; filter by platform, account_id, post_id, outcome",
    query=AttemptsQuery,
    responses={200: AttemptListOut},
    errors=(400, 401),
)
def list_attempts(call: Call) -> Reply:
    query = call.parse_query(AttemptsQuery)
    wanted = AttemptFilter(platform_name(query.platform, "platform"), query.account_id, query.post_id, query.outcome)
    return Reply(AttemptListOut.of(call.backend.attempts.find(wanted)))
