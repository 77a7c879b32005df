"""``GET``/``PUT /_mock/state``: export a tenant's whole state as JSON, and restore it exactly."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from mockserver.api.http import Call, Reply
from mockserver.api.spec import operation
from mockserver.core.errors import ValidationFailed
from mockserver.core.snapshot import TenantState, export_state_json, restore_state
from mockserver.core.timefmt import format_instant


class StateRestoredOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    success: bool
    posts: int
    now: str


@operation("Export the tenant's whole state", responses={200: TenantState}, errors=(401,))
def get_state(call: Call) -> Reply:
    return Reply(raw=export_state_json(call.backend))


@operation(
    "Replace the tenant's state with an exported document",
    request=TenantState,
    responses={200: StateRestoredOut},
    errors=(400, 401, 413),
)
def put_state(call: Call) -> Reply:
    if not call.raw_body.strip():
        raise ValidationFailed.required("body", "the body must be a state document from GET /_mock/state")
    backend = call.backend
    restore_state(backend, call.raw_body)
    with backend.lock:
        restored = {"success": True, "posts": len(backend.store), "now": format_instant(backend.now())}
    return Reply(restored)
