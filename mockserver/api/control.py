"""The control API under ``/_mock``: the tenant's clock, reset, plan and request journal."""

from __future__ import annotations

from mockserver.api import wire
from mockserver.api.http import Call, Reply
from mockserver.core.timefmt import format_instant


def get_clock(call: Call) -> Reply:
    backend = call.backend
    return Reply({"now": format_instant(backend.now()), "mode": backend.clock.mode})


def advance_clock(call: Call) -> Reply:
    request = call.parse(wire.AdvanceRequest)
    result = call.backend.advance_clock(seconds=request.seconds, to=request.to)
    return Reply(wire.advance_json(result))


def reset(call: Call) -> Reply:
    call.backend.reset()
    return Reply({"success": True, "now": format_instant(call.backend.now())})


def patch_tenant(call: Call) -> Reply:
    request = call.parse(wire.TenantPatch)
    plan = call.backend.set_plan(name=request.plan, posts_limit=request.posts_limit, posts_used=request.posts_used)
    return Reply(wire.plan_json(plan))


def get_tenant(call: Call) -> Reply:
    return Reply(wire.plan_json(call.backend.plan))


def list_requests(call: Call) -> Reply:
    with call.backend.lock:
        return Reply({"data": list(call.backend.journal)})
