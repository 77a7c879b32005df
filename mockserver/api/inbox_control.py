"""Control handlers of the inbox: a test's scripted arrivals, the simulated audience's switch, and the
whole inbox at once for the inspector."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.inbox_arrivals import ArrivalBody, ArrivalOut, AudienceBody, AudienceOut
from mockserver.api.shapes.inbox_overview import InboxOverviewOut
from mockserver.api.spec import operation


@operation(
    "Make a comment, DM, review or mention arrive, now or at an instant",
    request=ArrivalBody,
    responses={201: ArrivalOut},
    errors=(400, 401, 404),
)
def create_arrival(call: Call) -> Reply:
    body = call.parse(ArrivalBody)
    return Reply(ArrivalOut.of(call.backend.inbox.arrivals.arrive(body.to_request())), 201)


@operation("Switch the simulated audience on or off", request=AudienceBody, responses={200: AudienceOut}, errors=(400,))
def put_audience(call: Call) -> Reply:
    body = call.parse(AudienceBody)
    return Reply(AudienceOut.of(call.backend.inbox.audience.set_enabled(body.enabled)))


@operation(
    "The whole inbox: every comment thread (hidden comments and replies too), conversation with its messages "
    "and messaging window, review with its reply, and mention; and the accounts arrivals can reach",
    responses={200: InboxOverviewOut},
    errors=(401,),
)
def get_inbox(call: Call) -> Reply:
    inbox = call.backend.inbox
    return Reply(InboxOverviewOut.of(inbox.overview.read(), inbox.user_id))
