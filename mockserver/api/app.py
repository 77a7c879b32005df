"""``create_app``: the route table and the handlers for what no route matches.

The handlers of the areas most runs never call are named ``deferred("module.function")`` and imported
on their route's first request (``api/spec.py``): importing them all at start cost 60 ms of the
half-second start-up target. Posts, accounts and media, and what the table itself needs, are imported here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, request_response
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver._version import __version__
from mockserver.api import (
    accounts,
    consent,
    health,
    invites,
    limits,
    media,
    messages,
    posts,
    sinks,
)
from mockserver.api.access_log import AccessLog
from mockserver.api.errors import INTERNAL, internal_envelope
from mockserver.api.host_guard import ControlHostGuard
from mockserver.api.http import (
    AsgiEndpoint,
    Handler,
    ServerHandler,
    client_request_id,
    endpoint,
    internal_error,
    json_response,
    server_endpoint,
)
from mockserver.api.openapi import DOC_PATH, document_endpoint, route_specs
from mockserver.api.server import Server
from mockserver.api.shapes.common import ErrorOut
from mockserver.api.spec import Deferred, deferred, operation_of
from mockserver.core.versions import generation
from mockserver.core.webhooks.sinks import SINK_PATH
from mockserver.ui import pages

logger = logging.getLogger("mockserver")

PUBLIC: list[tuple[str, str, Handler | Deferred]] = [
    ("POST", "/v1/posts", posts.create_post),
    ("GET", "/v1/posts", posts.list_posts),
    # Before /v1/posts/{pid}, which would match them otherwise.
    ("POST", "/v1/posts/validate", deferred("post_validation.validate_post")),
    ("GET", "/v1/posts/validate", deferred("post_validation.get_constraints")),
    ("POST", "/v1/posts/import", deferred("post_import.import_posts")),
    ("GET", "/v1/posts/{pid}", posts.get_post),
    ("PATCH", "/v1/posts/{pid}", posts.update_post),
    ("DELETE", "/v1/posts/{pid}", posts.delete_post),
    ("POST", "/v1/posts/{pid}/unpublish", posts.unpublish_post),
    ("GET", "/v1/posts/{pid}/metrics", posts.get_post_metrics),
    ("POST", "/v1/posts/{pid}/publish", posts.publish_post),
    ("POST", "/v1/posts/{pid}/retry", posts.retry_post),
    ("GET", "/v1/events", deferred("event_log.list_events")),
    ("GET", "/v1/events/summary", deferred("event_log.get_events_summary")),
    ("GET", "/v1/accounts", accounts.list_accounts),
    # Before /v1/accounts/{account_id}, which would match it otherwise.
    ("POST", "/v1/accounts/connect", deferred("connections.connect_account")),
    ("GET", "/v1/accounts/pending/{connection_id}", deferred("selections.get_pending_connection")),
    ("POST", "/v1/accounts/pending/{connection_id}/select", deferred("selections.select_pending_connection")),
    ("GET", "/v1/platforms/facebook/logins/{login_id}/pages", deferred("selections.list_login_pages")),
    (
        "POST",
        "/v1/platforms/facebook/logins/{login_id}/pages/{page_id}/assign",
        deferred("selections.assign_login_page"),
    ),
    ("DELETE", "/v1/accounts/{account_id}", deferred("connections.disconnect_account")),
    ("GET", "/v1/accounts/{account_id}/pages", deferred("account_details.list_pages")),
    ("PATCH", "/v1/accounts/{account_id}/pages/{page_id}", deferred("account_details.update_page")),
    ("GET", "/v1/accounts/{account_id}/boards", deferred("account_details.list_boards")),
    ("POST", "/v1/accounts/{account_id}/boards", deferred("account_details.create_board")),
    ("PATCH", "/v1/accounts/{account_id}/boards/{board_id}", deferred("account_details.update_board")),
    ("DELETE", "/v1/accounts/{account_id}/boards/{board_id}", deferred("account_details.delete_board")),
    ("GET", "/v1/accounts/{account_id}/creator-info", deferred("account_details.get_creator_info")),
    ("GET", "/v1/accounts/{account_id}/limits", deferred("account_details.get_limits")),
    ("GET", "/v1/accounts/{account_id}/mentions", deferred("inbox.list_mentions")),
    ("POST", "/v1/oauth/exchange", deferred("connections.exchange_oauth")),
    ("GET", "/v1/oauth/redirect-uris", deferred("connections.list_redirect_uris")),
    ("POST", "/v1/oauth/redirect-uris", deferred("connections.create_redirect_uri")),
    ("DELETE", "/v1/oauth/redirect-uris/{uri_id}", deferred("connections.delete_redirect_uri")),
    ("GET", "/v1/brands", deferred("brands.list_brands")),
    ("POST", "/v1/brands", deferred("brands.create_brand")),
    ("PATCH", "/v1/brands/{brand_id}", deferred("brands.update_brand")),
    ("DELETE", "/v1/brands/{brand_id}", deferred("brands.delete_brand")),
    ("GET", "/v1/usage", accounts.get_usage),
    ("GET", "/v1/media", media.list_media),
    ("POST", "/v1/media/upload", media.upload_media),
    ("GET", "/v1/media/upload-url", media.get_upload_url),
    ("GET", "/v1/media/storage", media.get_storage),
    ("POST", "/v1/media/{media_id}/verify", media.verify_media),
    ("DELETE", "/v1/media/{media_id}", media.delete_media),
    ("GET", "/v1/inbox/comments", deferred("inbox.list_commented_posts")),
    ("GET", "/v1/inbox/comments/{post_id}", deferred("inbox.list_comments")),
    ("POST", "/v1/inbox/comments/{post_id}", deferred("inbox.reply_to_comment")),
    ("DELETE", "/v1/inbox/comments/{post_id}/{comment_id}", deferred("inbox.delete_comment")),
    ("GET", "/v1/inbox/comments/{post_id}/{comment_id}/replies", deferred("inbox.list_replies")),
    ("POST", "/v1/inbox/comments/{post_id}/{comment_id}/hide", deferred("inbox.hide_comment")),
    ("DELETE", "/v1/inbox/comments/{post_id}/{comment_id}/hide", deferred("inbox.unhide_comment")),
    ("POST", "/v1/inbox/comments/{post_id}/{comment_id}/like", deferred("inbox.like_comment")),
    ("DELETE", "/v1/inbox/comments/{post_id}/{comment_id}/like", deferred("inbox.unlike_comment")),
    ("POST", "/v1/inbox/comments/{post_id}/{comment_id}/private-reply", deferred("inbox.private_reply")),
    ("GET", "/v1/inbox/conversations", deferred("inbox.list_conversations")),
    ("GET", "/v1/inbox/conversations/{conversation_id}", deferred("inbox.get_conversation")),
    ("PATCH", "/v1/inbox/conversations/{conversation_id}", deferred("inbox.update_conversation")),
    ("GET", "/v1/inbox/conversations/{conversation_id}/messages", deferred("inbox.list_messages")),
    ("POST", "/v1/inbox/conversations/{conversation_id}/messages", deferred("inbox.send_message")),
    ("POST", "/v1/inbox/conversations/{conversation_id}/read", deferred("inbox.mark_read")),
    ("GET", "/v1/inbox/reviews", deferred("inbox.list_reviews")),
    ("POST", "/v1/inbox/reviews/{review_id}/reply", deferred("inbox.reply_to_review")),
    ("GET", "/v1/webhooks", deferred("webhooks.list_webhooks")),
    ("POST", "/v1/webhooks", deferred("webhooks.create_webhook")),
    # Before /v1/webhooks/{webhook_id}, which would match it otherwise.
    ("GET", "/v1/webhooks/events", deferred("webhooks.list_webhook_events")),
    ("GET", "/v1/webhooks/{webhook_id}", deferred("webhooks.get_webhook")),
    ("PATCH", "/v1/webhooks/{webhook_id}", deferred("webhooks.update_webhook")),
    ("DELETE", "/v1/webhooks/{webhook_id}", deferred("webhooks.delete_webhook")),
    ("POST", "/v1/webhooks/{webhook_id}/test", deferred("webhooks.test_webhook")),
    ("GET", "/v1/webhooks/{webhook_id}/deliveries", deferred("webhooks.list_deliveries")),
    ("GET", "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}", deferred("webhooks.get_delivery")),
    ("POST", "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry", deferred("webhooks.retry_delivery")),
    # The team: exports, invites, keys, the user, and the YouTube routes.
    ("POST", "/v1/accounts/{account_id}/export", deferred("exports.create_export")),
    ("GET", "/v1/exports", deferred("exports.list_exports")),
    ("GET", "/v1/exports/{export_id}", deferred("exports.get_export")),
    ("GET", "/v1/exports/{export_id}/videos", deferred("exports.list_export_videos")),
    ("POST", "/v1/invites", invites.create_invite),
    ("GET", "/v1/invites", invites.list_invites),
    ("DELETE", "/v1/invites/{invite_id}", invites.revoke_invite),
    ("GET", "/v1/keys", deferred("keys.list_keys")),
    ("POST", "/v1/keys", deferred("keys.create_key")),
    # Before /v1/keys/{key_id}, which would match it otherwise.
    ("GET", "/v1/keys/scopes", deferred("keys.list_scopes")),
    ("PATCH", "/v1/keys/{key_id}", deferred("keys.update_key")),
    ("DELETE", "/v1/keys/{key_id}", deferred("keys.revoke_key")),
    ("POST", "/v1/keys/{key_id}/rotate", deferred("keys.rotate_key")),
    ("GET", "/v1/users/me", deferred("users.get_me")),
    ("PATCH", "/v1/users/me", deferred("users.update_me")),
    ("DELETE", "/v1/users/me", deferred("users.delete_me")),
    ("GET", "/v1/platforms/youtube/accounts/{account_id}/summary", deferred("youtube.get_channel_summary")),
    ("POST", "/v1/platforms/youtube/accounts/{account_id}/sync", deferred("youtube.sync_account")),
    ("PATCH", "/v1/platforms/youtube/accounts/{account_id}/videos/{video_id}", deferred("youtube.update_video")),
    ("PATCH", "/v1/platforms/youtube/comments/{comment_id}", deferred("youtube.edit_comment")),
    ("POST", "/v1/platforms/youtube/comments/{comment_id}/moderate", deferred("youtube.moderate_comment")),
]

# Routes of the later generation only (docs 2026-10-02): an older generation answers 404, as it did.
LATER: list[tuple[str, str, Handler | Deferred]] = [
    ("GET", "/v1/accounts/{account_id}/analytics", deferred("analytics.get_account_analytics")),
    ("POST", "/v1/accounts/{account_id}/sync", deferred("account_sync.sync_account")),
    ("GET", "/v1/brands/{brand_id}/analytics", deferred("analytics.get_brand_analytics")),
    ("GET", "/v1/posts/{pid}/analytics", deferred("analytics.get_post_analytics")),
]


def public_routes(api_version: str) -> list[tuple[str, str, Handler | Deferred]]:
    """The public routes a generation serves."""
    return PUBLIC + LATER if generation(api_version).history_routes else PUBLIC


CONTROL: list[tuple[str, str, Handler | Deferred]] = [
    ("GET", "/_mock/clock", deferred("control.get_clock")),
    ("POST", "/_mock/clock/advance", deferred("control.advance_clock")),
    ("POST", "/_mock/reset", deferred("control.reset")),
    ("GET", "/_mock/tenant", deferred("control.get_tenant")),
    ("PATCH", "/_mock/tenant", deferred("control.patch_tenant")),
    ("GET", "/_mock/requests", deferred("journal.list_requests")),
    ("DELETE", "/_mock/requests", deferred("journal.clear_requests")),
    ("GET", "/_mock/deliveries", deferred("journal.list_attempts")),
    ("GET", "/_mock/limits", limits.get_limits),
    ("POST", "/_mock/verify", deferred("verify.verify_calls")),
    ("POST", "/_mock/sinks", sinks.create_sink),
    ("GET", "/_mock/sinks/{name}", sinks.get_sink),
    ("PUT", "/_mock/scenarios", deferred("control.put_scenario")),
    ("GET", "/_mock/scenarios", deferred("control.list_scenarios")),
    ("DELETE", "/_mock/scenarios", deferred("control.clear_scenarios")),
    ("GET", "/_mock/state", deferred("state.get_state")),
    ("PUT", "/_mock/state", deferred("state.put_state")),
    ("GET", "/_mock/events", deferred("events.list_event_records")),
    ("POST", "/_mock/webhooks/flush", deferred("webhooks.flush_webhooks")),
    ("POST", "/_mock/inbox/arrivals", deferred("inbox_control.create_arrival")),
    ("PUT", "/_mock/inbox/audience", deferred("inbox_control.put_audience")),
    # Before /_mock/scenarios/{name}, which would match it otherwise.
    ("GET", "/_mock/scenarios/library", deferred("control.list_scenario_library")),
    ("DELETE", "/_mock/scenarios/{name}", deferred("control.deactivate_scenario")),
    # The inspector reads posts and webhooks through the control plane: the same handlers as the
    # public routes, but kept out of the request journal and out of reach of request scenarios, so
    # watching never changes what the app under test sees.
    ("GET", "/_mock/posts", posts.list_posts),
    ("GET", "/_mock/posts/{pid}", posts.get_post),
    ("GET", "/_mock/posts/{pid}/metrics", posts.get_post_metrics),
    ("GET", "/_mock/posts/{pid}/preview", deferred("inspector.preview_post")),
    ("GET", "/_mock/inbox", deferred("inbox_control.get_inbox")),
    ("GET", "/_mock/webhooks", deferred("webhooks.list_webhooks")),
    ("GET", "/_mock/webhooks/{webhook_id}/deliveries", deferred("webhooks.list_deliveries")),
    ("GET", "/_mock/webhooks/{webhook_id}/deliveries/{delivery_id}", deferred("webhooks.get_delivery")),
    ("GET", "/_mock/oauth/redirect-uris", deferred("connections.get_mock_redirect_uris")),
    ("PUT", "/_mock/oauth/redirect-uris", deferred("connections.put_mock_redirect_uris")),
    ("PUT", "/_mock/byok", deferred("connections.put_byok")),
    ("POST", "/_mock/oauth/approve", deferred("connections.approve_connection")),
    ("POST", "/_mock/accounts/{account_id}/expire", deferred("connections.expire_account")),
]

# Control routes about the whole server rather than one tenant (no API key).
SERVER: list[tuple[str, str, ServerHandler | Deferred]] = [
    ("GET", "/_mock/tenants", deferred("inspector.list_tenants")),
    ("POST", "/_mock/reload", deferred("reload.reload")),
]

# Probes: no API key, no control token, no tenant.
OPEN: list[tuple[str, str, health.Probe]] = [
    ("GET", "/_mock/health", health.get_health),
    ("GET", "/_mock/ready", health.get_ready),
]


def _endpoint(server: Server, handler: Handler | Deferred, *, control: bool) -> ASGIApp:
    if isinstance(handler, Deferred):
        named = handler
        return DeferredEndpoint(lambda: _endpoint(server, named.resolve(), control=control))
    spec = operation_of(handler)
    return endpoint(
        server,
        handler,
        control=control,
        json_body=spec is not None and spec.takes_json,
        max_body_bytes=spec.max_body_bytes if spec is not None else None,
        query=spec.query if spec is not None else None,
    )


def _server_endpoint(server: Server, handler: ServerHandler | Deferred) -> ASGIApp:
    if isinstance(handler, Deferred):
        named = handler
        return DeferredEndpoint(lambda: server_endpoint(server, named.resolve()))
    return server_endpoint(server, handler)


# Control-plane routes called without an API key; their handlers take (server, request).
OPEN_CONTROL: list[tuple[str, str, Any]] = [
    ("POST", SINK_PATH, sinks.receive_at_sink),
]


# Routes under /_mock that a browser or another service may call from any host: probes, and URLs whose
# path holds their own credential. Every other /_mock route is the control plane (api/host_guard.py).
UNGUARDED: list[tuple[str, str]] = [
    *((method, path) for method, path, _ in OPEN + OPEN_CONTROL),
    ("PUT", media.UPLOAD_PATH),
    ("GET", media.CONTENT_PATH),
    ("GET", consent.CONSENT_PATH),
    ("POST", consent.CONSENT_PATH),
]


def socket_app(server: Server, app: ASGIApp) -> ASGIApp:
    """``app`` as served on a socket, where a browser can reach it: the control plane checks ``Host``."""
    return ControlHostGuard(app, server, unguarded=UNGUARDED)


def create_app(server: Server) -> Starlette:
    public = public_routes(server.settings.api_version)
    routes = [
        Route(path, _endpoint(server, handler, control=False), methods=[method]) for method, path, handler in public
    ] + [Route(path, _endpoint(server, handler, control=True), methods=[method]) for method, path, handler in CONTROL]
    routes += [Route(path, _server_endpoint(server, handler), methods=[method]) for method, path, handler in SERVER]
    routes += [Route(path, health.probe_endpoint(server, probe), methods=[method]) for method, path, probe in OPEN]
    # The stand-ins for S3's presigned URLs: a token instead of an API key.
    routes.append(Route(media.UPLOAD_PATH, media.storage_endpoint(server, media.receive_upload), methods=["PUT"]))
    routes.append(Route(media.CONTENT_PATH, media.storage_endpoint(server, media.download_media), methods=["GET"]))
    routes.append(Route(media.THUMBNAIL_PATH, media.storage_endpoint(server, media.media_thumbnail), methods=["GET"]))
    # The inspector's page and assets: no tenant data in them, so no key; the page's scripts call /_mock.
    routes.append(Route("/", pages.home, methods=["GET"]))
    routes.append(Route(pages.UI_PATH, pages.inspector, methods=["GET"]))
    routes.append(Route(pages.STATIC_PATH, pages.asset, methods=["GET"]))
    # The stand-in for the platforms' consent screens: the connection's state instead of an API key.
    routes.append(Route(consent.CONSENT_PATH, consent.show_consent, methods=["GET"]))
    routes.append(Route(consent.CONSENT_PATH, consent.submit_consent, methods=["POST"]))
    # An invite link: its token instead of an API key.
    routes += [Route(path, invites.redeem_invite, methods=["GET"]) for path in invites.INVITE_PATHS]
    routes += [
        Route(path, media.storage_endpoint(server, handler), methods=[method]) for method, path, handler in OPEN_CONTROL
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        request_id = client_request_id(request) or server.next_anonymous_request_id()
        message = messages.NO_SUCH_ROUTE if exc.status_code == 404 else str(exc.detail)
        body = ErrorOut.of(f"http.{exc.status_code}", message, {"path": request.url.path}, request_id)
        return json_response(body, exc.status_code, request_id, dict(exc.headers or {}))

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        # A bug, not bad input: logged, and answered in the envelope rather than Starlette's plain text.
        logger.error("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
        return json_response(internal_envelope(), 500, INTERNAL)

    document = document_endpoint(
        route_specs(public, CONTROL, SERVER, OPEN + OPEN_CONTROL),
        control_token=server.settings.control_token is not None,
        version=__version__,
        request_id=lambda request: client_request_id(request) or server.next_anonymous_request_id(),
    )
    routes.append(Route(DOC_PATH, document, methods=["GET"]))
    merged = _one_route_per_path(routes)
    app = MockApp(
        routes=merged,
        exception_handlers={HTTPException: http_error, Exception: unexpected_error},
        lifespan=_lifespan(server),
    )
    app.static = {
        (method, route.path): route.endpoint
        for route in merged
        if "{" not in route.path
        for method in route.methods or ()
    }
    # Only paths whose every endpoint is a plain ASGI one: Starlette-style handlers raise HTTPException,
    # which needs Starlette's exception middleware to become a 4xx.
    starlette_style = {route.path for route in routes if not isinstance(route.endpoint, AsgiEndpoint)}
    app.templated = [route for route in merged if "{" in route.path and route.path not in starlette_style]
    app.state.server = server
    if server.settings.access_log:
        app.access_log = AccessLog(json_lines=server.settings.log_format == "json")
    return app


class MockApp(Starlette):
    """Starlette, with one layer in front that finds the endpoint of every answerable request.

    Routes whose path has no parameter are a dictionary lookup (``POST /v1/posts``, ``GET /v1/posts``:
    most of the traffic); the others are matched in table order, as Starlette's router would. Both skip
    Starlette's two middleware layers and its router, a quarter of the shell's cost per request.
    What no route answers (404s, 405s) goes through Starlette as usual.
    """

    static: dict[tuple[str, str], Any] = {}
    templated: list[Route] = []
    access_log: AccessLog | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.access_log is not None and scope["type"] == "http":
            await self.access_log.serve(self._dispatch, scope, receive, send)
        else:
            await self._dispatch(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/") and scope["path"].endswith("/"):
            # The real API serves /v1/media/ as /v1/media; Starlette would answer 307 instead.
            scope = {**scope, "path": scope["path"].rstrip("/") or "/"}
        endpoint = self.static.get((scope["method"], scope["path"])) if scope["type"] == "http" else None
        if endpoint is not None:
            scope["path_params"] = {}
        elif scope["type"] == "http":
            endpoint = self._templated_endpoint(scope)
        if endpoint is None:
            await super().__call__(scope, receive, send)
            return
        scope["app"] = self
        try:
            await endpoint(scope, receive, send)
        except Exception:
            # What ServerErrorMiddleware would do: log, answer 500 in the API's envelope, never a traceback.
            logger.exception("unhandled error in %s %s", scope["method"], scope["path"])
            await internal_error(send)

    def _templated_endpoint(self, scope: Scope) -> Any:
        """The endpoint of the first parameterised route with this path and method, its parameters
        put in the scope; None when there is none (Starlette then answers 404 or 405)."""
        path, method = scope["path"], scope["method"]
        for route in self.templated:
            match = route.path_regex.match(path)
            if match is None or method not in (route.methods or ()):
                continue
            params = match.groupdict()
            for name, value in params.items():
                params[name] = route.param_convertors[name].convert(value)
            scope["path_params"] = params
            return route.endpoint
        return None


class DeferredEndpoint(AsgiEndpoint):
    """An endpoint built, with its handler's module imported, on its route's first request."""

    __slots__ = ()

    def __init__(self, build: Callable[[], ASGIApp]) -> None:
        async def first(scope: Scope, receive: Receive, send: Send) -> None:
            self.app = build()
            await self.app(scope, receive, send)

        super().__init__(first)


def _one_route_per_path(routes: list[Route]) -> list[Route]:
    """One Route per path that dispatches on the method, so a 405's Allow lists every method of the path."""
    by_path: dict[str, dict[str, Any]] = {}
    for route in routes:
        for method in route.methods or ():
            by_path.setdefault(route.path, {})[method] = route.endpoint
    merged = [Route(path, _by_method(endpoints), methods=list(endpoints)) for path, endpoints in by_path.items()]
    for route in merged:
        route.methods = _SortedMethods(route.methods or ())
    return merged


class _SortedMethods(set[str]):
    """A route's methods, listed in sorted order: Starlette joins them into a 405's Allow header, and a
    plain set's order follows the process's hash seed, so the same request would get other bytes."""

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set.__iter__(self)))


def _by_method(endpoints: dict[str, Any]) -> AsgiEndpoint:
    apps = {
        method: handler if isinstance(handler, AsgiEndpoint) else request_response(handler)
        for method, handler in endpoints.items()
    }
    if "GET" in apps:
        apps.setdefault("HEAD", apps["GET"])

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        await apps[scope["method"]](scope, receive, send)

    return AsgiEndpoint(dispatch)


def _lifespan(server: Server) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ticker = asyncio.create_task(_tick(server)) if server.settings.clock == "realtime" else None
        try:
            async with server.webhook_sender.running(server.settings.tick_seconds):
                yield
        finally:
            if ticker is not None:
                ticker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ticker

    return lifespan


async def _tick(server: Server) -> None:
    """With ``--clock realtime``, scheduled posts fire by themselves, even for idle tenants."""
    while True:
        await asyncio.sleep(server.settings.tick_seconds)
        for backend in server.tenants():
            if backend.key not in server.busy:
                backend.posts.fire_due()
