"""Handlers for pending selections (2026-08-22) and a Facebook login's Pages."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.connections import ConnectAccountOut
from mockserver.api.shapes.selections import (
    AssignPageOut,
    AssignPageRequest,
    LoginPagesOut,
    PendingConnectionOut,
    SelectRequest,
)
from mockserver.api.spec import operation


@operation(
    "A pending connection's candidates: Google Profiles, or Facebook Pages (30 minutes, single use)",
    responses={200: PendingConnectionOut},
    errors=(401, 404),
)
def get_pending_connection(call: Call) -> Reply:
    view = call.backend.selections.get_selection(call.params["connection_id"])
    return Reply(PendingConnectionOut.of(view, detail=True))


@operation(
    "Finish a pending connection: {platform_account_id} (Google) or {page_ids} (Facebook)",
    request=SelectRequest,
    responses={201: ConnectAccountOut},
    errors=(400, 401, 403, 404, 409),
)
def select_pending_connection(call: Call) -> Reply:
    request = call.parse(SelectRequest)
    account = call.backend.selections.select(
        call.params["connection_id"], page_ids=request.page_ids, platform_account_id=request.platform_account_id
    )
    return Reply(ConnectAccountOut.of(account), 201)


@operation(
    "A Facebook login's Pages and the brand (if any) each is assigned to",
    responses={200: LoginPagesOut},
    errors=(401, 404),
)
def list_login_pages(call: Call) -> Reply:
    login, pages = call.backend.selections.login_pages(call.params["login_id"])
    return Reply(LoginPagesOut.of(login, pages))


@operation(
    "Assign one of a Facebook login's Pages to a brand",
    request=AssignPageRequest,
    responses={201: AssignPageOut},
    errors=(400, 401, 403, 404, 409),
)
def assign_login_page(call: Call) -> Reply:
    brand_id = call.parse(AssignPageRequest).brand_id
    assignment = call.backend.selections.assign_page(call.params["login_id"], call.params["page_id"], brand_id)
    return Reply(AssignPageOut.of(assignment), 201)
