"""Worlds for the state round-trip machine: servers that take the same calls and must answer alike.

A *world* is one ``MockServer`` with the one tenant the machine drives, spoken to over HTTP in-process.
The machine keeps two worlds in lockstep: the *original*, never reloaded, and the *copy*, which is
replaced at random points by a fresh server loaded from the copy's saved state (``PUT /_mock/state``,
or a state file as ``--state-file`` reads it at start). Every call goes to both and their answers must
be equal byte for byte; ``read_everything`` is every read route of the tenant, in a fixed order.
The request data the machine draws from (targets, scenarios, webhook events) is kept here too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from hypothesis import strategies as st

from mockserver import MockServer, Settings
from mockserver.api.app import CONTROL, PUBLIC, SERVER
from mockserver.api.state import load_state_file, save_state_file
from mockserver.client import HANDLE_ID_PREFIX
from mockserver.testing import async_transport
from tests.conftest import ACCOUNTS

T = TypeVar("T")
KEY = "sapi_key_roundtrip"
# A .test host: webhooks to the mock's own sinks are delivered in-process, with no socket.
BASE_URL = "http://mock.test"
BOUNDARY = "roundtrip-boundary"
Answer = tuple[int, tuple[tuple[str, str], ...], bytes]

# -- what the machine sends ---------------------------------------------------------------------

REDIRECT = "https://app.example.com/connected"
PICK = st.integers(min_value=0, max_value=1_000)
OAUTH = ["instagram", "facebook", "linkedin", "threads", "tiktok", "youtube", "twitter", "google", "pinterest"]
PAGED = [ACCOUNTS["facebook"], ACCOUNTS["linkedin"], ACCOUNTS["google"]]
BOARD = "sapi_board_01JGKBQ3M8Z2X7V5N1R4T6W9YC"
TARGETS: list[list[dict[str, Any]]] = [
    [{"account_id": ACCOUNTS["linkedin"]}],
    [{"account_id": ACCOUNTS["facebook"]}, {"account_id": ACCOUNTS["threads"]}],
    [{"account_id": ACCOUNTS["twitter"]}],
    [{"account_id": ACCOUNTS["pinterest"], "board_id": BOARD}],
    [{"account_id": ACCOUNTS["instagram"], "platform_data": {"content_type": "feed"}}],
    [{"account_id": ACCOUNTS["tiktok"], "platform_data": {"privacy_level": "PUBLIC_TO_EVERYONE"}}],
]
# Every bundled scenario but threads-slow, whose Threads deliveries wait two wall-clock seconds each.
SCENARIOS = [
    "api-503-burst",
    "credits-exhausted",
    "duplicate-content",
    "everything-down",
    "facebook-down",
    "facebook-flaky",
    "instagram-container-timeout",
    "instagram-throttled",
    "linkedin-token-expired",
    "outage-window",
    "retry-recovers",
    "tiktok-media-required",
]
EVENTS = [["post.published"], ["post.failed", "post.partial"], ["post.published", "account.connected"]]


def pick(items: list[Any], index: int) -> Any:
    """The drawn item, wrapping around; ``"none"`` when there is none (an id every route answers 404 to)."""
    return items[index % len(items)] if items else "none"


def answer_of(response: httpx.Response) -> Answer:
    """What a client sees of a response: status, every header, the body's bytes."""
    return response.status_code, tuple(response.headers.multi_items()), response.content


class World:
    """A server and an in-process client on a private event loop that runs only during a call.

    The loop runs only during a call (on the world's own thread), so the webhook sends a response
    leaves behind advance only inside later calls: two servers given the same calls interleave their
    work the same way.
    """

    def __init__(self, server: MockServer) -> None:
        self.server = server
        self._loop = asyncio.new_event_loop()
        # The caller's thread may hold a running loop already (Playwright's sync API keeps one once a
        # browser test has run in the process): then a thread of the world's own runs this one.
        self._runner = ThreadPoolExecutor(max_workers=1)
        self._http = httpx.AsyncClient(
            transport=async_transport(server.app), base_url=BASE_URL, headers={"Authorization": f"Bearer {KEY}"}
        )

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self._run(self._http.request(method, path, **kwargs))

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._loop.run_until_complete(work)
        return self._runner.submit(self._loop.run_until_complete, work).result()

    def close(self) -> None:
        async def finish() -> None:
            await self._http.aclose()
            leftovers = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in leftovers:
                task.cancel()
            await asyncio.gather(*leftovers, return_exceptions=True)

        self._run(finish())
        self._loop.close()
        self._runner.shutdown()


def reloaded_by_put(settings: Settings, document: bytes) -> World:
    """A fresh server whose tenant took ``document`` (from ``GET /_mock/state``) through ``PUT /_mock/state``."""
    fresh = World(MockServer(settings))
    restored = fresh.call("PUT", "/_mock/state", content=document, headers={"Content-Type": "application/json"})
    assert restored.status_code == 200, restored.text
    return fresh


def reloaded_from_file(world: World, path: Path) -> World:
    """A fresh server started with the state file ``world``'s server saved, as ``--state-file`` does."""
    save_state_file(world.server, path)
    fresh = MockServer(world.server.settings)
    assert load_state_file(fresh, path) == 1
    return World(fresh)


@dataclass
class Reads:
    """The answers of a read sweep by name, and the route templates the sweep went through."""

    answers: dict[str, Answer] = field(default_factory=dict)
    routes: set[tuple[str, str]] = field(default_factory=set)


def _ids(response: httpx.Response, key: str = "id") -> list[str]:
    if response.status_code != 200:
        return []
    body = response.json()
    items = body["data"] if isinstance(body, dict) and "data" in body else body
    return [str(item[key]) for item in items if isinstance(item, dict) and key in item]


class Sweep:
    """Calls one world's read routes, recording each answer under a name that says what was read."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.reads = Reads()
        self.count = 0

    def get(
        self, template: str, label: str = "", params: dict[str, Any] | None = None, **values: str
    ) -> httpx.Response:
        response = self.world.call("GET", template.format(**values), params=params, headers=self.own_id())
        self.reads.answers[f"GET {template.format(**values)} {label}".strip()] = answer_of(response)
        self.reads.routes.add(("GET", template))
        return response

    def own_id(self) -> dict[str, str]:
        """The pytest handle's kind of request id: the read stays out of the journal and draws no id."""
        self.count += 1
        return {"X-Request-ID": f"{HANDLE_ID_PREFIX}roundtrip-{self.count}"}


def read_everything(world: World, sinks: list[str], consents: list[str]) -> Reads:
    """Every read route of the tenant, for every object it holds (ids come from the lists themselves).

    Each read carries a request id of the pytest handle's kind, so reading leaves the tenant exactly as
    it was: nothing is journaled and no request id is drawn from the tenant's generator.
    """
    sweep = Sweep(world)
    get = sweep.get
    posts = _ids(get("/v1/posts", "all", {"limit": 100, "sort": "created_asc"}))
    posts += [p for p in _ids(get("/v1/posts", "hidden", {"limit": 100, "hidden": "true"})) if p not in posts]
    get("/_mock/posts", params={"limit": 100})
    for pid in posts:
        for template in ("/v1/posts/{pid}", "/v1/posts/{pid}/metrics", "/_mock/posts/{pid}"):
            get(template, pid=pid)
        get("/_mock/posts/{pid}/metrics", pid=pid)
        get("/_mock/posts/{pid}/preview", pid=pid)
    get("/v1/posts/validate")
    get("/v1/events", params={"limit": 100})
    get("/v1/events/summary")
    get("/_mock/events")
    accounts = _ids(get("/v1/accounts", params={"limit": 100}))
    for account in accounts:
        for detail in ("pages", "boards", "creator-info", "limits"):
            get(f"/v1/accounts/{{account_id}}/{detail}", account_id=account)
    get("/v1/brands")
    get("/v1/usage")
    get("/v1/oauth/redirect-uris")
    get("/_mock/oauth/redirect-uris")
    media = get("/v1/media", params={"limit": 100})
    get("/v1/media/storage")
    get("/v1/media/upload-url", "refused without a type")
    _media_contents(sweep, media)
    hooks = _ids(get("/v1/webhooks"))
    get("/_mock/webhooks")
    get("/v1/webhooks/events")
    for hook in hooks:
        get("/v1/webhooks/{webhook_id}", webhook_id=hook)
        for prefix in ("/v1", "/_mock"):
            deliveries = _ids(get(prefix + "/webhooks/{webhook_id}/deliveries", webhook_id=hook))
            for delivery in deliveries:
                get(prefix + "/webhooks/{webhook_id}/deliveries/{delivery_id}", webhook_id=hook, delivery_id=delivery)
    for name in sinks:
        get("/_mock/sinks/{name}", name=name)
    for state in consents:
        get("/_mock/oauth/consent/{state}", state=state)
    # Pending selections and platform logins (2026-08-22), as the state holds them, or an id nobody holds.
    held = _state_accounts(get("/_mock/state", "for the selections' ids"))
    for connection in [str(s.get("connection_id")) for s in held.get("selections", [])] or ["pc_none"]:
        get("/v1/accounts/pending/{connection_id}", connection_id=connection)
    for login in [str(x.get("login_id")) for x in held.get("logins", [])] or ["cred_none"]:
        get("/v1/platforms/facebook/logins/{login_id}/pages", login_id=login)
    _inbox_and_team(sweep, accounts, _ids(get("/v1/brands")))
    for template in ("/_mock/clock", "/_mock/tenant", "/_mock/requests", "/_mock/deliveries", "/_mock/scenarios"):
        get(template)
    get("/_mock/scenarios/library")
    get("/_mock/tenants")
    get("/_mock/state")
    return sweep.reads


def _state_accounts(response: httpx.Response) -> dict[str, list[dict[str, Any]]]:
    body = response.json() if response.status_code == 200 else {}
    accounts = body.get("state", {}).get("accounts", {}) if isinstance(body, dict) else {}
    return accounts if isinstance(accounts, dict) else {}


def _rows(response: httpx.Response, key: str = "data") -> list[dict[str, Any]]:
    body = response.json() if response.status_code == 200 else {}
    items = body.get(key) if isinstance(body, dict) else None
    return [item for item in items or [] if isinstance(item, dict)]


def _inbox_and_team(sweep: Sweep, accounts: list[str], brands: list[str]) -> None:
    """The inbox's and the team's reads. A route whose list is empty is read with an id nobody holds,
    so every template is compared in every run (a 404 must survive a reload too)."""
    get = sweep.get
    for account in accounts:
        get("/v1/accounts/{account_id}/mentions", account_id=account)
        get("/v1/platforms/youtube/accounts/{account_id}/summary", account_id=account)
    get("/_mock/limits")
    # The whole inbox at once: hidden comments and messaging windows too, which the public lists leave out.
    get("/_mock/inbox")
    posts = _rows(get("/v1/inbox/comments", params={"limit": 100})) or [{"id": "none", "account_id": "none"}]
    for post in posts:
        where = {"account_id": str(post.get("account_id"))}
        comments = _rows(get("/v1/inbox/comments/{post_id}", params=where, post_id=str(post["id"])))
        for comment in comments or [{"platform_id": "none"}]:
            get(
                "/v1/inbox/comments/{post_id}/{comment_id}/replies",
                params=where,
                post_id=str(post["id"]),
                comment_id=str(comment.get("platform_id")),
            )
    conversations = _ids(get("/v1/inbox/conversations", params={"limit": 100})) or ["none"]
    for conversation in conversations:
        get("/v1/inbox/conversations/{conversation_id}", conversation_id=conversation)
        get("/v1/inbox/conversations/{conversation_id}/messages", conversation_id=conversation)
    get("/v1/inbox/reviews")
    get("/v1/keys")
    get("/v1/keys/scopes")
    exports = [str(e["id"]) for e in _rows(get("/v1/exports"), "exports")] or ["none"]
    for export in exports:
        get("/v1/exports/{export_id}", export_id=export)
        get("/v1/exports/{export_id}/videos", export_id=export)
    for brand in brands or ["none"]:
        get("/v1/invites", brand, params={"brand_id": brand})
    get("/v1/users/me")


def get_routes() -> set[tuple[str, str]]:
    """Every GET route of the app that reads the tenant (server-wide probes and the UI's assets excepted)."""
    tables: list[tuple[str, str, Any]] = [*PUBLIC, *CONTROL, *SERVER]
    return {(method, path) for method, path, _ in tables if method == "GET"}


def _media_contents(sweep: Sweep, listed: httpx.Response) -> None:
    """Each uploaded item's bytes, through the signed URL the listing gives (no key needed)."""
    if listed.status_code != 200:
        return
    for item in listed.json()["data"]:
        url = item.get("url") or ""
        if "/_mock/media/" in url:
            response = sweep.world.call("GET", url, headers=sweep.own_id())
            sweep.reads.answers[f"GET {url}"] = answer_of(response)
            sweep.reads.routes.add(("GET", "/_mock/media/{media_id}/content"))


def multipart(field_name: str, filename: str, content_type: str, data: bytes) -> tuple[bytes, dict[str, str]]:
    """A one-file form with a fixed boundary (httpx draws a random one, which the journal would show)."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    )
    body = head.encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def differences(left: dict[str, Answer], right: dict[str, Answer]) -> Iterator[str]:
    """Each read whose answers differ, with the first differing bytes of the two."""
    for name in sorted(set(left) | set(right)):
        a, b = left.get(name), right.get(name)
        if a is None or b is None:
            yield f"{name}: read on one side only"
        elif a != b:
            yield f"{name}:\n  before: {_excerpt(a, b)}\n  after:  {_excerpt(b, a)}"


def _excerpt(answer: Answer, other: Answer) -> str:
    """The status and headers when they differ, then the body around its first differing byte."""
    status, headers, body = answer
    shown = f"{status} {dict(headers)} " if (status, headers) != other[:2] else ""
    start = next(
        (i for i, (x, y) in enumerate(zip(body, other[2], strict=False)) if x != y), min(len(body), len(other[2]))
    )
    return shown + repr(body[max(0, start - 120) : start + 200])
