"""Handlers for connecting accounts: connect, exchange, disconnect, redirect URIs, and their control routes.

The consent page that ``auth_url`` points at is in ``api/consent.py``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from mockserver.api.consent import CONSENT_PREFIX
from mockserver.api.http import Call, Reply
from mockserver.api.public_url import public_base_url
from mockserver.api.shapes.accounts import AccountOut
from mockserver.api.shapes.connections import (
    ApproveOut,
    ApproveRequest,
    ByokOut,
    ByokPut,
    ConnectAccountOut,
    ConnectOAuthOut,
    ConnectRequest,
    ExchangeRequest,
    ExpireRequest,
    RedirectUriListOut,
    RedirectUriOut,
    RedirectUriRequest,
    RedirectUrisPut,
)
from mockserver.api.shapes.selections import PendingConnectionOut
from mockserver.api.spec import operation
from mockserver.core.accounts.logins import ConnectStarted
from mockserver.core.accounts.selection import Choice, SelectionView
from mockserver.core.accounts.signup import LAUNCH_PARAMETERS
from mockserver.core.errors import DashboardOnly, ValidationFailed


def _dashboard_only() -> DashboardOnly:
    return DashboardOnly(
        "Requires dashboard authentication: redirect URIs are managed in the dashboard, not with an API key "
        "(in the mock: GET/PUT /_mock/oauth/redirect-uris)"
    )


@operation(
    "Connect an account: 202 with auth_url (OAuth platforms) or 201 (Telegram, Bluesky)",
    request=ConnectRequest,
    responses={202: ConnectOAuthOut, 201: ConnectAccountOut},
    errors=(400, 401, 403, 412),
)
def connect_account(call: Call) -> Reply:
    request = call.parse(ConnectRequest)
    result = call.backend.connections.connect_account(
        request.platform,
        brand_id=request.brand_id,
        redirect_uri=request.redirect_uri,
        state=request.state,
        metadata=request.metadata,
    )
    if not isinstance(result, ConnectStarted):
        return Reply(ConnectAccountOut.of(result), 201)
    state = result.connection.state
    if result.connection.platform == "whatsapp":
        return Reply(ConnectOAuthOut.of("", state, LAUNCH_PARAMETERS), 202)
    return Reply(ConnectOAuthOut.of(f"{public_base_url(call)}{CONSENT_PREFIX}{state}", state), 202)


@operation(
    "Exchange an approved connection's code for its account (the older client-side flow)",
    request=ExchangeRequest,
    responses={201: ConnectAccountOut, 200: PendingConnectionOut},
    errors=(400, 401, 403),
)
def exchange_oauth(call: Call) -> Reply:
    request = call.parse(ExchangeRequest)
    if request.platform == "whatsapp":
        return Reply(ConnectAccountOut.of(call.backend.signups.finish(request.code, request.metadata)), 201)
    result = call.backend.connections.exchange_oauth(request.platform, request.code, request.metadata)
    if isinstance(result, SelectionView):
        return Reply(PendingConnectionOut.of(result), 200)
    return Reply(ConnectAccountOut.of(result), 201)


@operation("Disconnect an account", responses={204: None}, errors=(401, 404))
def disconnect_account(call: Call) -> Reply:
    call.backend.connections.disconnect_account(call.params["account_id"])
    return Reply(status=204)


@operation(
    "List redirect URIs (dashboard only: an API key gets 403)", responses={200: RedirectUriListOut}, errors=(401, 403)
)
def list_redirect_uris(call: Call) -> Reply:
    raise _dashboard_only()


@operation(
    "Register a redirect URI (dashboard only: an API key gets 403)",
    request=RedirectUriRequest,
    responses={201: RedirectUriOut},
    errors=(400, 401, 403, 409),
)
def create_redirect_uri(call: Call) -> Reply:
    raise _dashboard_only()


@operation("Delete a redirect URI (dashboard only: an API key gets 403)", responses={204: None}, errors=(401, 403, 404))
def delete_redirect_uri(call: Call) -> Reply:
    raise _dashboard_only()


# -- control ----------------------------------------------------------------------------------------


@operation("The tenant's registered redirect URIs", responses={200: RedirectUriListOut}, errors=(401,))
def get_mock_redirect_uris(call: Call) -> Reply:
    return Reply(RedirectUriListOut.of(call.backend.connections.list_redirect_uris()))


@operation(
    "Replace the registered redirect URIs ([] returns connect to open mode)",
    request=RedirectUrisPut,
    responses={200: RedirectUriListOut},
    errors=(400, 401),
)
def put_mock_redirect_uris(call: Call) -> Reply:
    entries = [(e.uri, e.label) for e in call.parse(RedirectUrisPut).data]
    return Reply(RedirectUriListOut.of(call.backend.connections.set_redirect_uris(entries)))


@operation(
    "Configure BYOK credentials (X connects only with them)",
    request=ByokPut,
    responses={200: ByokOut},
    errors=(400, 401),
)
def put_byok(call: Call) -> Reply:
    return Reply(ByokOut.of(call.backend.connections.set_byok(call.parse(ByokPut).platforms)))


@operation(
    "Approve or deny a pending connection without a browser; answers where the user would go",
    request=ApproveRequest,
    responses={200: ApproveOut},
    errors=(400, 401, 404),
)
def approve_connection(call: Call) -> Reply:
    request = call.parse(ApproveRequest)
    path = urlsplit(request.auth_url).path
    state = path.removeprefix(CONSENT_PREFIX)
    if not path.startswith(CONSENT_PREFIX) or not state or "/" in state:
        raise ValidationFailed.invalid("auth_url", "auth_url must be an auth_url answered by POST /v1/accounts/connect")
    choice = None
    if request.page_ids is not None or request.platform_account_id is not None:
        choice = Choice(request.page_ids, request.platform_account_id)
    outcome = call.backend.connections.decide_consent(
        state, approve=not request.deny, profile=request.profile, grant=request.grant, choice=choice
    )
    return Reply(ApproveOut.of(outcome))


@operation(
    "Expire an account's token: it needs reconnecting (403 account.reconnection_required on publish)",
    request=ExpireRequest,
    responses={200: AccountOut},
    errors=(400, 401, 404),
)
def expire_account(call: Call) -> Reply:
    reason = call.parse(ExpireRequest).reason
    backend = call.backend
    return Reply(AccountOut.of(backend.connections.expire_account(call.params["account_id"], reason)))
