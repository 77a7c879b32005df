"""Public API handlers for API keys: every active key of a team opens the same tenant."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.messages import NO_SUCH_ROUTE
from mockserver.api.shapes.common import OkOut
from mockserver.api.shapes.keys import (
    KeyListOut,
    KeyNameRequest,
    KeyOut,
    KeyRequest,
    KeySecretOut,
    KeyUpdateRequest,
    ScopeListOut,
)
from mockserver.api.spec import operation
from mockserver.core.errors import NotFound
from mockserver.core.team.scopes import SCOPES
from mockserver.core.versions import generation


def _scoped(call: Call) -> bool:
    """Whether the server's API generation has key scopes; a route of the later one is unknown before."""
    return generation(call.backend.api_version).key_scopes


def _later_route(call: Call) -> None:
    if not _scoped(call):
        raise NotFound(NO_SUCH_ROUTE, code="http.404", meta={"path": call.scope["path"]})


@operation("List the team's API keys (revoked ones too)", responses={200: KeyListOut}, errors=(401, 403))
def list_keys(call: Call) -> Reply:
    return Reply(KeyListOut.of(call.backend.keys.list_keys()))


@operation("Create an API key", request=KeyRequest, responses={201: KeySecretOut}, errors=(400, 401, 403))
def create_key(call: Call) -> Reply:
    if _scoped(call):
        body = call.parse(KeyRequest)
        key = call.backend.keys.create_key(body.name, scopes=body.scopes, brand_ids=body.brand_ids)
    else:
        # 2026-06-22 keys have full access: scopes and brands are warned about, as any unknown field.
        key = call.backend.keys.create_key(call.parse(KeyNameRequest).name)
    return Reply(KeySecretOut.of(key), 201)


@operation("Revoke an API key (irreversible)", responses={200: OkOut}, errors=(401, 403, 404))
def revoke_key(call: Call) -> Reply:
    call.backend.keys.revoke_key(call.params["key_id"])
    return Reply(OkOut.of())


@operation("The scopes a key may be limited to (2026-08-22)", responses={200: ScopeListOut}, errors=(401, 404))
def list_scopes(call: Call) -> Reply:
    _later_route(call)
    return Reply(ScopeListOut.of(SCOPES))


@operation(
    "Replace a key's name, scopes or brands",
    request=KeyUpdateRequest,
    responses={200: KeyOut},
    errors=(400, 401, 403, 404),
)
def update_key(call: Call) -> Reply:
    _later_route(call)
    body = call.parse(KeyUpdateRequest)
    key = call.backend.keys.update_key(
        call.params["key_id"], name=body.name, scopes=body.scopes, brand_ids=body.brand_ids
    )
    return Reply(KeyOut.of(key))


@operation("Rotate a key's secret: the old one stops working", responses={200: KeySecretOut}, errors=(401, 403, 404))
def rotate_key(call: Call) -> Reply:
    _later_route(call)
    return Reply(KeySecretOut.of(call.backend.keys.rotate_key(call.params["key_id"])))
