"""Connecting accounts: connect, the OAuth exchange, redirect URIs, and the control plane's stand-ins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from mockserver.api.shapes.common import Ident, Out, Request
from mockserver.core.accounts.connections import CUSTOMER_STATE_LIMIT, MAX_REDIRECT_URIS
from mockserver.core.accounts.logins import ConsentOutcome
from mockserver.core.bounds import bounded_free_form
from mockserver.core.models import Account
from mockserver.core.records.accounts import RedirectUri
from mockserver.core.timefmt import format_instant

CONNECT_MESSAGE = "Redirect the user to auth_url"
SIGNUP_MESSAGE = "Launch Meta's Embedded Signup with metadata, then call POST /v1/oauth/exchange"
Uri = Annotated[str, Field(min_length=1, max_length=2048)]
Metadata = Annotated[dict[str, Any], AfterValidator(bounded_free_form)]


class ConnectRequest(Request):
    """``POST /v1/accounts/connect``. ``metadata`` carries direct-auth credentials (``bot_token``;
    ``identifier`` + ``app_password``) and, in the older shape, ``redirect_uri``."""

    platform: Annotated[str, Field(max_length=64)] | None = None
    brand_id: Ident | None = None
    redirect_uri: Uri | None = None
    state: Annotated[str, Field(max_length=CUSTOMER_STATE_LIMIT)] | None = None
    metadata: Metadata | None = None


class ConnectOAuthOut(Out):
    """202: ``auth_url`` (empty for WhatsApp, whose ``metadata`` launches Meta's Embedded Signup)."""

    auth_url: str
    state: str
    message: str
    metadata: dict[str, str] | None = None

    @staticmethod
    def of(auth_url: str, state: str, metadata: Mapping[str, str] | None = None) -> ConnectOAuthOut:
        out: dict[str, Any] = {"auth_url": auth_url, "state": state, "message": CONNECT_MESSAGE}
        if metadata is not None:
            out["message"] = SIGNUP_MESSAGE
            out["metadata"] = dict(metadata)
        return ConnectOAuthOut.build(out)


class ConnectAccountOut(Out):
    account_id: str
    platform: str
    username: str
    display_name: str

    @staticmethod
    def of(account: Account) -> ConnectAccountOut:
        return ConnectAccountOut.build(
            {
                "account_id": account.id,
                "platform": account.platform,
                "username": account.username,
                "display_name": account.name,
            }
        )


class ExchangeRequest(Request):
    """``POST /v1/oauth/exchange``: the ``code`` of an approved connection; ``metadata`` may repeat its
    ``state`` and ``redirect_uri``, which must then match."""

    platform: Annotated[str, Field(max_length=64)]
    code: Annotated[str, Field(max_length=200)]
    metadata: Metadata = {}


class RedirectUriRequest(Request):
    uri: Uri
    label: Annotated[str, Field(max_length=200)] | None = None


class RedirectUriOut(Out):
    id: str
    uri: str
    label: str | None = None
    created_at: str

    @staticmethod
    def of(entry: RedirectUri) -> RedirectUriOut:
        out: dict[str, Any] = {"id": entry.id, "uri": entry.uri, "created_at": format_instant(entry.created_at)}
        if entry.label is not None:
            out["label"] = entry.label
        return RedirectUriOut.build(out)


class RedirectUriListOut(Out):
    data: list[RedirectUriOut]
    count: int

    @staticmethod
    def of(entries: list[RedirectUri]) -> RedirectUriListOut:
        return RedirectUriListOut.build({"data": [RedirectUriOut.of(e) for e in entries], "count": len(entries)})


class RedirectUrisPut(Request):
    """``PUT /_mock/oauth/redirect-uris``: the whole registered set (``[]`` returns to open mode)."""

    data: Annotated[list[RedirectUriRequest], Field(max_length=MAX_REDIRECT_URIS * 5)]


class ByokPut(Request):
    """``PUT /_mock/byok``: the platforms whose own-app credentials are configured (only ``twitter``)."""

    platforms: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=10)]


class ByokOut(Out):
    platforms: list[str]

    @staticmethod
    def of(platforms: list[str]) -> ByokOut:
        return ByokOut.build({"platforms": platforms})


class ApproveRequest(Request):
    """``POST /_mock/oauth/approve``: decide a connection without a browser. ``profile`` picks the login
    (a platform user id, username or account id from the consent page; default: a fresh fake login)."""

    auth_url: Uri
    profile: Annotated[str, Field(max_length=200)] | None = None
    deny: bool = False
    # 2026-08-22, a login that connects through a pending selection: the Pages the grant keeps
    # (default all), and a choice that finishes the selection at once (else the answer carries its
    # ``connection_id`` and the customer selects with POST /v1/accounts/pending/{id}/select).
    grant: Annotated[list[Ident], Field(max_length=50)] | None = None
    page_ids: Annotated[list[Ident], Field(max_length=50)] | None = None
    platform_account_id: Ident | None = None


class ApproveOut(Out):
    status: Literal["success", "error", "selection_required"]
    platform: str
    redirect_url: str | None
    account_id: str | None = None
    code: str | None = None
    error: str | None = None
    error_description: str | None = None
    connection_id: str | None = None

    @staticmethod
    def of(outcome: ConsentOutcome) -> ApproveOut:
        status = "success" if outcome.approved else "error"
        if outcome.connection_id is not None and outcome.account is None:
            status = "selection_required"
        out: dict[str, Any] = {"status": status, "platform": outcome.platform, "redirect_url": outcome.redirect_url}
        if outcome.connection_id is not None:
            out["connection_id"] = outcome.connection_id
            out["code"] = outcome.code
        if outcome.account is not None:
            out["account_id"] = outcome.account.id
            out["code"] = outcome.code
        elif outcome.connection_id is None:
            out["error"] = outcome.error
            out["error_description"] = outcome.error_description
        return ApproveOut.build(out)


class ExpireRequest(Request):
    """``POST /_mock/accounts/{account_id}/expire``: the ``reconnect_reason`` the account shows."""

    reason: Annotated[str, Field(max_length=1000)] | None = None
