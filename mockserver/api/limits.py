"""``GET /_mock/limits``: where the tenant stands against the later generation's limits.

``hold_warning`` is the note ``GET /v1/posts/{pid}`` adds beside a post the velocity caps hold.
"""

from __future__ import annotations

from mockserver.api import messages
from mockserver.api.body_warnings import BodyWarning
from mockserver.api.http import Call, Reply
from mockserver.api.shapes.limits import LimitsOut
from mockserver.api.spec import operation
from mockserver.core.records.limits import Hold
from mockserver.core.timefmt import format_instant


@operation(
    "The request budget of the current minute and the scheduled posts held by the velocity caps",
    responses={200: LimitsOut},
    errors=(401,),
)
def get_limits(call: Call) -> Reply:
    backend = call.backend
    return Reply(LimitsOut.of(backend.limit_switches(), backend.requests.standing(), backend.velocity.holds()))


def hold_warning(held: Hold) -> BodyWarning:
    """The ``X-Mock-Warnings`` note of a held scheduled post: which window holds it and until when."""
    message = messages.VELOCITY_HOLD.format(
        account_id=held.account_id,
        limit=held.limit,
        window="hour" if held.window == "hour" else "24 hours",
        release_at=format_instant(held.release_at),
    )
    return BodyWarning("status", "mock.velocity_hold", message)
