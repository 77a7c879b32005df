"""The consent page ``auth_url`` points at: the mock's stand-in for a platform's OAuth screen.

``GET`` shows the platform, the brand, a choice of login (in 2026-08-22, a Facebook login's Pages
to keep checked) and Approve / Deny; ``POST`` (a plain form post: ``decision=approve|deny``,
``profile``, and ``grant`` per checked Page) decides the connection and answers 302 to the
customer's ``redirect_uri``, or, without one, the mock's own result page. No API key: the
connection's state in the URL is the credential, as the platform's own page has no other.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from mockserver.api.body_reader import parse_form, read_body
from mockserver.api.server import Server
from mockserver.core.accounts.logins import Consent, ConsentOutcome, platform_name
from mockserver.core.backend import PublishingBackend
from mockserver.core.errors import DomainError, NotFound, ValidationFailed
from mockserver.ui.pages import render

CONSENT_PREFIX = "/_mock/oauth/consent/"
CONSENT_PATH = CONSENT_PREFIX + "{state}"
FORM_LIMIT = 16 * 1024
DECISIONS = ("approve", "deny")


def _owner(request: Request) -> tuple[Server, str, PublishingBackend | None]:
    """The server, the link's state, and the tenant whose pending connection it is (None: unknown)."""
    server: Server = request.app.state.server
    state: str = request.path_params["state"]
    return server, state, server.tenant_with_connection(state)


async def show_consent(request: Request) -> Response:
    _, state, backend = _owner(request)
    if backend is None:
        return _unknown()
    try:
        consent = backend.connections.get_consent(state)
    except NotFound:
        return _unknown()
    return _page(consent, request.url.path)


async def submit_consent(request: Request) -> Response:
    server, state, backend = _owner(request)
    if backend is None:
        return _unknown()
    try:
        form = parse_form(await read_body(request, FORM_LIMIT))
    except DomainError as error:
        return _page(
            backend.connections.get_consent(state), request.url.path, error=error.message, status=error_status(error)
        )
    decision = form.get("decision", [""])[0]
    profile = form.get("profile", [""])[0] or None
    # The Page checkboxes (2026-08-22 Facebook) are on the page only when it offers them.
    grant = form.get("grant", []) if form.get("grants_shown") else None
    if decision not in DECISIONS:
        return _page(
            backend.connections.get_consent(state), request.url.path, error="Choose Approve or Deny.", status=400
        )
    try:
        outcome = backend.connections.decide_consent(state, approve=decision == "approve", profile=profile, grant=grant)
    except NotFound:
        return _unknown()
    except ValidationFailed as error:
        return _page(backend.connections.get_consent(state), request.url.path, error=error.message, status=400)
    # Events the decision recorded (account.connected) go out to webhooks in the background.
    server.webhook_sender.kick(backend)
    if outcome.redirect_url is not None:
        return RedirectResponse(outcome.redirect_url, status_code=302)
    return _done(outcome)


def error_status(error: DomainError) -> int:
    return 413 if error.code == "validation.body_too_large" else 400


def _page(consent: Consent, action: str, *, error: str | None = None, status: int = 200) -> Response:
    name = platform_name(consent.connection.platform)
    context: dict[str, Any] = {
        "heading": f"Connect your {name} account",
        "platform_name": name,
        "consent": consent,
        "outcome": None,
        "action": action,
        "error": error,
    }
    return render("consent.html", context, status=status)


def _done(outcome: ConsentOutcome) -> Response:
    name = platform_name(outcome.platform)
    if outcome.approved and outcome.account is None:
        heading, message = f"Choose what to connect from {name}", "No account exists yet: select Pages or a Profile."
    elif outcome.approved:
        heading, message = f"{name} account connected", "The account is connected. You can close this page."
    else:
        heading, message = f"{name} account not connected", "The connection did not complete."
    context = {"heading": heading, "platform_name": name, "consent": {}, "outcome": outcome, "message": message}
    return render("consent.html", context)


def _unknown() -> Response:
    context = {
        "heading": "This connection link is not valid",
        "platform_name": "platform's",
        "consent": None,
        "outcome": None,
        "message": "The link is unknown or was already used. Start the connection again from the app.",
    }
    return render("consent.html", context, status=404)


def openapi_paths() -> dict[str, Any]:
    """The consent page in the served OpenAPI document (HTML and a form post; no API key)."""
    html = {"text/html": {"schema": {"type": "string"}}}
    state = [{"name": "state", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}]

    def page(description: str) -> dict[str, Any]:
        return {"description": description, "content": html}

    form = {
        "type": "object",
        "properties": {
            "decision": {"type": "string", "enum": list(DECISIONS)},
            "profile": {"type": "string", "description": "a login the page offers (platform user id)"},
            "grant": {
                "type": "array",
                "items": {"type": "string"},
                "description": "2026-08-22 Facebook: the Pages left checked (with grants_shown=1)",
            },
            "grants_shown": {"type": "string", "description": "1 when the page showed Page checkboxes"},
        },
    }
    return {
        CONSENT_PATH: {
            "get": {
                "operationId": "consent.show_consent",
                "summary": "The consent page auth_url points at (stand-in for the platform's)",
                "tags": ["consent"],
                "security": [],
                "parameters": state,
                "responses": {
                    "200": page("The page: platform, brand, logins, Approve / Deny"),
                    "404": page("Unknown or used link"),
                },
            },
            "post": {
                "operationId": "consent.submit_consent",
                "summary": "Approve or deny: 302 to the redirect_uri, or the mock's own result page",
                "tags": ["consent"],
                "security": [],
                "parameters": state,
                "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": form}}},
                "responses": {
                    "200": page("The mock's own result page (no redirect_uri)"),
                    "302": {
                        "description": "To redirect_uri with status=success|error|selection_required and its query",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                    },
                    "400": page("No decision, or an unknown profile: the page again"),
                    "404": page("Unknown or used link"),
                    "413": page("A form larger than 16 KiB"),
                },
            },
        }
    }
