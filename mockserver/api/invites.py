"""Public API handlers for brand invites, and the invite link an outside user opens.

The link carries no API key: its token finds the tenant, as a platform's own page would have no
other credential. It answers 302 to the connection's consent page (the mock's stand-in for the
platform's OAuth screen), and, as the real API does, plain text for an unknown or spent link.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from mockserver.api.consent import CONSENT_PREFIX
from mockserver.api.errors import status_of
from mockserver.api.http import Call, Reply
from mockserver.api.server import Server
from mockserver.api.shapes.invites import InviteListOut, InviteListQuery, InviteOut, InviteRequest
from mockserver.api.spec import operation
from mockserver.core.errors import DomainError, ValidationFailed

INVITE_PATHS: tuple[str, ...] = ("/invite/{token}", "/v1/invite/{token}")


def base_url(scheme: str, host: str | None) -> str:
    return f"{scheme}://{host or 'localhost'}"


def _base(call: Call) -> str:
    return base_url(call.scope["scheme"], call.headers.get("host"))


@operation(
    "Create a single-use invite link for a brand",
    request=InviteRequest,
    responses={201: InviteOut},
    errors=(400, 401, 403, 404, 409),
)
def create_invite(call: Call) -> Reply:
    body = call.parse(InviteRequest)
    invite = call.backend.invites.create_invite(body.brand_id, body.platform, body.expires_in_days)
    return Reply(InviteOut.of(invite, _base(call)), 201)


@operation(
    "A brand's invites, newest first (spent ones too)",
    query=InviteListQuery,
    responses={200: InviteListOut},
    errors=(400, 401, 403, 404),
)
def list_invites(call: Call) -> Reply:
    brand_id = call.parse_query(InviteListQuery).brand_id
    if brand_id is None:
        raise ValidationFailed.required("brand_id", "Missing brand_id")
    invites = call.backend.invites.list_invites(brand_id)
    marked = [(invite, call.backend.invites.is_active(invite)) for invite in invites]
    return Reply(InviteListOut.of(marked, _base(call)))


@operation("Revoke an invite (it stays listed, inactive)", responses={204: None}, errors=(401, 403, 404))
def revoke_invite(call: Call) -> Reply:
    call.backend.invites.revoke_invite(call.params["invite_id"])
    return Reply(status=204)


async def redeem_invite(request: Request) -> Response:
    server: Server = request.app.state.server
    token: str = request.path_params["token"]
    backend = server.tenant_with_invite(token)
    if backend is None:
        return PlainTextResponse("Invite not found", status_code=404)
    try:
        started = backend.invites.redeem_invite(token)
    except DomainError as error:
        return PlainTextResponse(error.message, status_code=status_of(error))
    base = base_url(request.url.scheme, request.headers.get("host"))
    return RedirectResponse(f"{base}{CONSENT_PREFIX}{started.connection.state}", status_code=302)
