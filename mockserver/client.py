"""Typed clients of a running mock: the ``/_mock`` control API and a tenant handle with SDK factories.

Everything here speaks HTTP through an ``httpx`` transport, so the same handle drives the in-process
app (``TenantHandle.in_process``, no socket) and a live server (``TenantHandle.over_url``). The pytest
plugin is built on these; tests and scripts can use them directly too.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from mockserver.core.errors import ScenarioInvalid
from mockserver.core.journal import HANDLE_ID_PREFIX
from mockserver.core.scenarios import ScenarioDocument, parse_scenario
from mockserver.core.timefmt import format_instant, parse_instant
from mockserver.loading.scenarios import SUFFIXES, read_scenario_file, resolve_scenario
from mockserver.testing import async_transport, sync_transport

if TYPE_CHECKING:
    from socialapi import AsyncSocialAPI, SocialAPI

    from mockserver.mock import MockServer
    from mockserver.serve import ThreadedServer

__all__ = [
    "ControlClient",
    "ControlError",
    "LiveServer",
    "SDKMissing",
    "ScenarioSpec",
    "TenantHandle",
    "VerificationError",
    "WebhookSink",
    "scenario_document",
    "scenario_documents",
]

IN_PROCESS_URL = "http://socialapi-mock.test"
_PAGE_SIZE = 100

ScenarioSpec = str | Path | Mapping[str, Any] | ScenarioDocument


_UNSET: Any = object()


SDK_MISSING = (
    "the official SDK is not installed: pip install 'socialapi-mock[sdk]' (or 'socialapi>=0.4,<0.5', "
    "the series the mock supports) to use .sdk() and .async_sdk()"
)


class SDKMissing(ModuleNotFoundError):
    """``.sdk()`` without the ``socialapi`` package: the message says what to install."""


def _sdk_module() -> ModuleType:
    # Imported when asked for: the SDK is an optional dependency (the ``sdk`` extra).
    try:
        return importlib.import_module("socialapi")
    except ModuleNotFoundError as exc:
        if exc.name != "socialapi":
            raise  # the SDK is there but one of its own dependencies is not: its error says which
        raise SDKMissing(SDK_MISSING, name="socialapi") from None


class ControlError(ValueError):
    """The mock refused a control call; ``status``, ``code`` and ``body`` are the server's answer."""

    def __init__(self, method: str, path: str, response: httpx.Response) -> None:
        self.status = response.status_code
        try:
            self.body: Any = response.json()
        except ValueError:
            self.body = response.text
        error = self.body.get("error") if isinstance(self.body, dict) else None
        self.code: str | None = error.get("code") if isinstance(error, dict) else None
        message = error.get("message") if isinstance(error, dict) else str(self.body)[:200]
        answer = f"{self.status} {self.code}" if self.code else str(self.status)
        super().__init__(f"{method} {path} answered {answer}: {message}")


class VerificationError(AssertionError):
    """``POST /_mock/verify`` answered 409: the message lists what was expected and the nearest misses.

    ``matched``, ``expected``, ``nearest`` and ``examples`` are the server's ``meta``.
    """

    def __init__(self, error: Mapping[str, Any]) -> None:
        meta = error.get("meta") or {}
        self.matched: int = meta.get("matched", 0)
        self.expected: dict[str, Any] = meta.get("expected", {})
        self.nearest: list[dict[str, Any]] = meta.get("nearest", [])
        self.examples: list[dict[str, Any]] = meta.get("examples", [])
        super().__init__(_failure_text(str(error.get("message", "")), self.nearest, self.examples, self.expected))


def _failure_text(
    message: str, nearest: list[dict[str, Any]], examples: list[dict[str, Any]], expected: Mapping[str, Any]
) -> str:
    kind = "delivery" if "delivery" in expected else "request"
    lines = [message + "."]
    if examples:
        lines.append(f"Matching {_noun(kind)} (first {len(examples)}):")
        lines.extend(f"  - {_entry_line(kind, entry)}" for entry in examples)
    if nearest and not examples:
        lines.append(f"Nearest {_noun(kind)}:")
        for number, miss in enumerate(nearest, 1):
            lines.append(f"  {number}. {_entry_line(kind, miss['entry'])}")
            lines.extend(
                f"       {d['field']}: expected {_short(d['expected'])}, got {_short(d['actual'])}"
                for d in miss["differences"]
            )
    elif not nearest and not examples:
        where = "the delivery log" if kind == "delivery" else "the request journal"
        lines.append(f"There is nothing in {where} to compare with.")
    return "\n".join(lines)


def _noun(kind: str) -> str:
    return "deliveries" if kind == "delivery" else "requests"


def _entry_line(kind: str, entry: Mapping[str, Any]) -> str:
    if kind == "delivery":
        error = entry.get("error")
        outcome = entry["outcome"] + (f" ({error['code']})" if error else "")
        return (
            f"{entry['platform']} {entry['account_id']} post {entry['post_id']} attempt {entry['attempt']}: "
            f"{outcome} at {entry['at']}, text {_short(entry['text'])}"
        )
    query = "&".join(f"{k}={v}" for k, v in (entry.get("query") or {}).items())
    target = entry["path"] + (f"?{query}" if query else "")
    return f"{entry['method']} {target} -> {entry['status']} at {entry['at']} (request id {entry['request_id']})"


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value) if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_scenario_path(value: str | Path) -> bool:
    """A ``Path``, or a string that names a file (has a suffix we read, or a directory part)."""
    if isinstance(value, Path):
        return True
    return value.endswith(SUFFIXES) or "/" in value or "\\" in value


def scenario_document(value: ScenarioSpec, *, base_dir: Path | None = None) -> ScenarioDocument:
    """A validated scenario from a bundled name, a file path, a mapping or a document.

    Relative paths are resolved against ``base_dir`` (the plugin passes the test file's directory).
    """
    if isinstance(value, ScenarioDocument):
        return value
    try:
        if isinstance(value, str | Path) and is_scenario_path(value):
            path = Path(value)
            if base_dir is not None and not path.is_absolute():
                path = base_dir / path
            return read_scenario_file(path)
        if isinstance(value, str):
            return resolve_scenario(value, source="scenario")
        if isinstance(value, Mapping):
            return parse_scenario(dict(value), source="scenario")
    except ScenarioInvalid as exc:
        # Test authors catch ``ValueError``; the domain error type is the server's business.
        raise ValueError(exc.message) from None
    raise TypeError(
        f"a scenario is a bundled scenario name, a file path, a dict or a ScenarioDocument, not {type(value).__name__}"
    )


class ControlClient:
    """One tenant of a mock, seen through ``/_mock/*`` and the public API, over any ``httpx.Client``.

    ``http`` must carry the mock's base URL and the tenant's ``Authorization`` header.
    """

    def __init__(self, http: httpx.Client, *, control_token: str | None = None) -> None:
        self.http = http
        self._control_headers = {"X-Mock-Token": control_token} if control_token is not None else {}
        self._own_ids = itertools.count(1)

    def _call(self, method: str, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        # An explicit id keeps the tenant's seeded request-id sequence (what the user's own requests
        # get) independent of how often a test inspects the mock; the prefix keeps the handle's own
        # reads of the public API out of the journal (the server skips them).
        headers = {"X-Request-ID": f"{HANDLE_ID_PREFIX}{next(self._own_ids)}"}
        if path.startswith("/_mock"):
            headers.update(self._control_headers)
        response = self.http.request(method, path, json=json, params=params, headers=headers)
        if response.status_code >= 400:
            raise ControlError(method, path, response)
        return response.json() if response.content else None

    # -- the clock ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The tenant's domain time (an aware UTC datetime)."""
        return parse_instant(self._call("GET", "/_mock/clock")["now"])

    def advance(
        self, *, seconds: float | timedelta | None = None, to: datetime | str | None = None
    ) -> list[dict[str, str]]:
        """Move the fake clock forward; returns the posts that fired, ``[{"post_id", "status"}]``."""
        if (seconds is None) == (to is None):
            raise TypeError("advance() takes exactly one of seconds=<number> or to=<aware datetime or RFC 3339 text>")
        if isinstance(seconds, timedelta):
            seconds = seconds.total_seconds()
        if isinstance(to, datetime):
            if to.tzinfo is None:
                raise ValueError("advance(to=...) needs an aware datetime; pass tzinfo=UTC")
            to = format_instant(to.astimezone(UTC))
        body = {"seconds": seconds} if seconds is not None else {"to": to}
        fired: list[dict[str, str]] = self._call("POST", "/_mock/clock/advance", json=body)["fired"]
        return fired

    # -- state -------------------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the fixtures: no posts, the plan, the clock at its start, an empty journal."""
        self._call("POST", "/_mock/reset")

    def set_plan(
        self, plan: str | None = None, *, posts_limit: int | None = None, posts_used: int | None = None
    ) -> dict[str, Any]:
        """Change the tenant's plan (``"free"`` / ``"paid"``) and credits; returns the new plan."""
        body = {"plan": plan, "posts_limit": posts_limit, "posts_used": posts_used}
        changes = {key: value for key, value in body.items() if value is not None}
        if not changes:
            raise TypeError("set_plan() needs at least one of plan=, posts_limit= or posts_used=")
        result: dict[str, Any] = self._call("PATCH", "/_mock/tenant", json=changes)
        return result

    def set_duplicate_check(self, enabled: bool = True) -> dict[str, Any]:
        """Turn the mock's own duplicate-content check (409 ``post.duplicate_content``) on or off."""
        result: dict[str, Any] = self._call("PATCH", "/_mock/tenant", json={"duplicate_check": enabled})
        return result

    @property
    def api_version(self) -> str:
        """The API generation the server imitates (``serve --api-version``, the marker's ``api_version``)."""
        version: str = self._call("GET", "/_mock/tenant")["api_version"]
        return version

    def posts(self, **filters: Any) -> list[dict[str, Any]]:
        """Every post of the tenant as ``GET /v1/posts`` returns them (all pages); filters are its query."""
        params = {key: _query_value(value) for key, value in filters.items() if value is not None}
        params["limit"] = str(_PAGE_SIZE)
        found: list[dict[str, Any]] = []
        while True:
            page = self._call("GET", "/v1/posts", params=params)
            found.extend(page["data"])
            cursor = page["pagination"].get("next_cursor")
            if not page["pagination"]["has_more"] or cursor is None:
                return found
            params["cursor"] = cursor

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The tenant's request journal, oldest first (the handle's own reads are never in it)."""
        entries: list[dict[str, Any]] = self._call("GET", "/_mock/requests")["data"]
        return entries

    @property
    def events(self) -> list[dict[str, Any]]:
        """The tenant's event records (``post.scheduled``, ``post.published``, ...), oldest first."""
        records: list[dict[str, Any]] = self._call("GET", "/_mock/events")["data"]
        return records

    def webhook_sink(self, name: str | None = None, *, status: int = 200, delay_ms: int = 0) -> WebhookSink:
        """A webhook receiver served by the mock: register ``.url`` as an endpoint, read ``.received``.

        ``status`` is what it answers (500 to exercise retries); ``delay_ms`` how long it waits first.
        Calling it again with the same name changes how that sink answers and keeps what it received.
        """
        body: dict[str, Any] = {"status": status, "delay_ms": delay_ms}
        if name is not None:
            body["name"] = name
        created = self._call("POST", "/_mock/sinks", json=body)
        return WebhookSink(self, created["name"], created["url"])

    def flush_webhooks(self) -> dict[str, Any]:
        """Send every due webhook delivery and wait for the attempts; returns the delivery summary."""
        summary: dict[str, Any] = self._call("POST", "/_mock/webhooks/flush")
        return summary

    # -- verification ------------------------------------------------------------------------------

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """Every delivery attempt to a platform, oldest first; filters: platform, account_id, post_id, outcome."""
        params = {key: _query_value(value) for key, value in filters.items() if value is not None}
        found: list[dict[str, Any]] = self._call("GET", "/_mock/deliveries", params=params)["data"]
        return found

    def verify(
        self,
        *,
        requests: Mapping[str, Any] | None = None,
        deliveries: Mapping[str, Any] | None = None,
        count: int | None = None,
        at_least: int | None = None,
        at_most: int | None = None,
    ) -> int:
        """``POST /_mock/verify``; returns how many matched, or raises ``VerificationError`` with the misses."""
        body: dict[str, Any] = {"count": count, "at_least": at_least, "at_most": at_most}
        body = {key: value for key, value in body.items() if value is not None}
        if requests is not None:
            body["requests"] = dict(requests)
        if deliveries is not None:
            body["deliveries"] = dict(deliveries)
        try:
            matched: int = self._call("POST", "/_mock/verify", json=body)["matched"]
        except ControlError as exc:
            if exc.code == "mock.verification_failed":
                raise VerificationError(exc.body["error"]) from None
            raise
        return matched

    def assert_called(
        self,
        method: str,
        path: str,
        *,
        json: Any = _UNSET,
        query: Mapping[str, str] | None = None,
        times: int | None = None,
    ) -> None:
        """Fail unless the app sent ``method path`` (``times`` times exactly, else at least once).

        ``path`` is literal or a route template (``/v1/posts/{pid}``); ``json`` is a subset the body must
        contain; ``query`` the query parameters it must carry.
        """
        __tracebackhide__ = True
        match: dict[str, Any] = {"method": method, "path": path}
        if json is not _UNSET:
            match["json"] = json
        if query is not None:
            match["query"] = dict(query)
        self._assert(requests=match, count=times)

    def assert_not_called(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        json: Any = _UNSET,
        query: Mapping[str, str] | None = None,
    ) -> None:
        """Fail if the app sent any request matching ``method``, ``path``, ``json`` and ``query``."""
        __tracebackhide__ = True
        match: dict[str, Any] = {"method": method, "path": path, "query": dict(query) if query is not None else None}
        match = {key: value for key, value in match.items() if value is not None}
        if json is not _UNSET:
            match["json"] = json
        self._assert(requests=match, count=0)

    def assert_delivered(
        self,
        *,
        platform: str | None = None,
        account_id: str | None = None,
        post_id: str | None = None,
        text_contains: str | None = None,
        outcome: str | None = "published",
        times: int | None = None,
    ) -> None:
        """Fail unless a platform got a matching delivery (``times`` exactly, else at least one).

        ``outcome`` is ``"published"`` unless given: pass ``"failed"`` for failed attempts, None for any.
        """
        __tracebackhide__ = True
        match = {
            "platform": platform,
            "account_id": account_id,
            "post_id": post_id,
            "text_contains": text_contains,
            "outcome": outcome,
        }
        try:
            self.verify(deliveries={key: value for key, value in match.items() if value is not None}, count=times)
        except VerificationError as exc:
            # The likeliest reason nothing went out: the post waits for a clock that has not got there.
            waiting = self._scheduled_ahead(platform, account_id, post_id) if exc.matched < (times or 1) else []
            raise AssertionError("\n".join([str(exc), *waiting])) from None

    def _scheduled_ahead(self, platform: str | None, account_id: str | None, post_id: str | None) -> list[str]:
        """A line per scheduled post that targets the platform or account asked about."""
        clock = format_instant(self.now())
        lines = []
        for post in self.posts(status="scheduled"):
            if post_id not in (None, post["id"]):
                continue
            targets = post["targets"]
            if any(platform in (None, t["platform"]) and account_id in (None, t["account_id"]) for t in targets):
                lines.append(
                    f"post {post['id']} is scheduled for {post['scheduled_at']}, the clock is at {clock}: "
                    f"advance the clock (advance(to=...)) to deliver it"
                )
        return lines

    def _assert(self, **expectation: Any) -> None:
        __tracebackhide__ = True
        try:
            self.verify(**expectation)
        except VerificationError as exc:
            raise AssertionError(str(exc)) from None

    # -- scenarios ---------------------------------------------------------------------------------

    def use_scenario(self, scenario: ScenarioSpec) -> list[dict[str, Any]]:
        """Activate a bundled scenario by name, or a document (mapping, file path or ``ScenarioDocument``).

        Returns the active scenarios as ``GET /_mock/scenarios`` describes them.
        """
        if isinstance(scenario, str) and not is_scenario_path(scenario):
            body: dict[str, Any] = {"name": scenario}
        else:
            body = scenario_document(scenario).to_json()
        active: list[dict[str, Any]] = self._call("PUT", "/_mock/scenarios", json=body)["data"]
        return active

    def scenarios(self) -> list[dict[str, Any]]:
        """The active scenarios, with how often each rule fired."""
        active: list[dict[str, Any]] = self._call("GET", "/_mock/scenarios")["data"]
        return active

    def unused_scenario_rules(self) -> list[str]:
        """Active scenario rules that never fired, as ``"<scenario>.deliveries[<i>]: <rule>"``."""
        unused: list[str] = []
        for scenario in self.scenarios():
            for kind in ("deliveries", "requests"):
                for index, rule in enumerate(scenario[kind]):
                    if rule["fired"] == 0:
                        shown = {key: value for key, value in rule.items() if key != "fired"}
                        unused.append(f"{scenario['name']}.{kind}[{index}]: {orjson.dumps(shown).decode()}")
        return unused

    def clear_scenarios(self) -> None:
        self._call("DELETE", "/_mock/scenarios")

    # -- accounts ----------------------------------------------------------------------------------

    def connect_account(
        self,
        platform: str,
        *,
        brand_id: str | None = None,
        profile: str | None = None,
        redirect_uri: str | None = None,
        state: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Run the whole connection flow (connect, then Approve on the consent page); returns the account
        as ``GET /v1/accounts`` lists it. ``profile`` picks the login the consent page offers (a platform
        user id or username; default: a fresh fake one; an existing account's username reconnects it).
        Where the login connects through a pending selection (2026-08-22: Facebook, a Google login with
        several Profiles), it selects every assignable Page (at most five) or the first Profile."""
        body: dict[str, Any] = {"platform": platform}
        for key, value in (("brand_id", brand_id), ("redirect_uri", redirect_uri), ("state", state)):
            if value is not None:
                body[key] = value
        if metadata is not None:
            body["metadata"] = dict(metadata)
        started = self._call("POST", "/v1/accounts/connect", json=body)
        if "auth_url" in started:
            outcome = self.approve_connection(started["auth_url"], profile=profile)
            account_id = outcome.get("account_id") or self._select_all(outcome["connection_id"])
        else:
            account_id = started["account_id"]
        listed: list[dict[str, Any]] = self._call("GET", "/v1/accounts")["data"]
        return next(a for a in listed if a["id"] == account_id)

    def _select_all(self, connection_id: str) -> str:
        pending = self._call("GET", f"/v1/accounts/pending/{connection_id}")
        if pending["platform"] == "google":
            choice: dict[str, Any] = {"platform_account_id": pending["profiles"][0]["platform_account_id"]}
        else:
            pages = [p["platform_page_id"] for p in pending["pages"] if p["assignable"]]
            choice = {"page_ids": pages[:5]}
        selected = self._call("POST", f"/v1/accounts/pending/{connection_id}/select", json=choice)
        return str(selected["account_id"])

    def approve_connection(
        self,
        auth_url: str,
        *,
        profile: str | None = None,
        deny: bool = False,
        grant: Sequence[str] | None = None,
        page_ids: Sequence[str] | None = None,
        platform_account_id: str | None = None,
    ) -> dict[str, Any]:
        """Decide a pending connection as its consent page would; returns ``{status, redirect_url, ...}``.

        2026-08-22, a login that connects through a pending selection: ``grant`` names the Pages the
        user keeps checked (default: all); without ``page_ids`` or ``platform_account_id`` the answer is
        ``{"status": "selection_required", "connection_id": ...}``, with one of them the selection is
        made at once and the answer carries the ``account_id``."""
        body: dict[str, Any] = {"auth_url": auth_url, "deny": deny}
        if profile is not None:
            body["profile"] = profile
        if grant is not None:
            body["grant"] = list(grant)
        if page_ids is not None:
            body["page_ids"] = list(page_ids)
        if platform_account_id is not None:
            body["platform_account_id"] = platform_account_id
        outcome: dict[str, Any] = self._call("POST", "/_mock/oauth/approve", json=body)
        return outcome

    def expire_account(self, account_id: str, reason: str | None = None) -> dict[str, Any]:
        """Move an account to ``reconnect_required`` (publishing to it then answers 403)."""
        account: dict[str, Any] = self._call(
            "POST", f"/_mock/accounts/{account_id}/expire", json={} if reason is None else {"reason": reason}
        )
        return account

    def set_redirect_uris(self, uris: Sequence[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Register exactly these redirect URIs (``[]``: open mode); items are URIs or ``{uri, label}``."""
        data = [{"uri": u} if isinstance(u, str) else dict(u) for u in uris]
        registered: list[dict[str, Any]] = self._call("PUT", "/_mock/oauth/redirect-uris", json={"data": data})["data"]
        return registered

    def set_byok(self, platforms: Sequence[str]) -> list[str]:
        """Configure BYOK credentials for ``platforms`` (X connects only with them)."""
        configured: list[str] = self._call("PUT", "/_mock/byok", json={"platforms": list(platforms)})["platforms"]
        return configured


class WebhookSink:
    """A sink made by ``webhook_sink()``: ``url`` to register, ``received`` to read (fetched on each access)."""

    def __init__(self, control: ControlClient, name: str, url: str) -> None:
        self._control = control
        self.name = name
        self.url = url

    @property
    def received(self) -> list[dict[str, Any]]:
        """What arrived, oldest first: ``headers``, ``body``, ``signature_valid``, ``signature_v2_valid``, ..."""
        found: list[dict[str, Any]] = self._control._call("GET", f"/_mock/sinks/{self.name}")["received"]
        return found

    def __repr__(self) -> str:
        return f"<WebhookSink {self.name} at {self.url}>"


def _query_value(value: Any) -> str:
    if isinstance(value, datetime):
        return format_instant(value.astimezone(UTC)) if value.tzinfo else value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


class _Borrowed(httpx.BaseTransport):
    """A transport shared by several clients: closing one client must not close it for the others."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)

    def close(self) -> None:
        return None


def _network_async_transport() -> httpx.AsyncBaseTransport:
    # No keep-alive: an async client the test never closes then holds no socket bound to its
    # event loop, so nothing is left to warn about when that loop is gone.
    return httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))


class TenantHandle(ControlClient):
    """A tenant of a mock with ready-made clients: ``http``, ``sdk()``, ``async_sdk()``.

    Every client it makes shares ``transport``; the handle closes it only if it ``owns_transport``.
    """

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        transport: httpx.BaseTransport,
        async_transport: Callable[[], httpx.AsyncBaseTransport] = _network_async_transport,
        owns_transport: bool = False,
        control_token: str | None = None,
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self._transport = transport
        self._async_transport = async_transport
        self._owns_transport = owns_transport
        super().__init__(self._client(headers={"Authorization": f"Bearer {api_key}"}), control_token=control_token)

    @classmethod
    def in_process(cls, server: MockServer, api_key: str, *, base_url: str = IN_PROCESS_URL) -> TenantHandle:
        """A handle on ``server``'s app with no socket: sync calls run on a private event-loop thread."""
        app = server.app
        return cls(
            api_key=api_key,
            base_url=base_url,
            transport=sync_transport(app),
            async_transport=lambda: async_transport(app),
            owns_transport=True,
            control_token=server.settings.control_token,
        )

    @classmethod
    def over_url(
        cls, url: str, api_key: str, *, transport: httpx.BaseTransport | None = None, control_token: str | None = None
    ) -> TenantHandle:
        """A handle on a live server; pass ``transport`` to share one connection pool between handles."""
        return cls(
            api_key=api_key,
            base_url=url,
            transport=transport or httpx.HTTPTransport(),
            owns_transport=transport is None,
            control_token=control_token,
        )

    def _client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, transport=_Borrowed(self._transport), trust_env=False, **kwargs)

    def sdk(self, **kwargs: Any) -> SocialAPI:
        """The official ``socialapi.SocialAPI`` on this tenant; ``max_retries=0`` unless given."""
        client_class = _sdk_module().SocialAPI
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("max_retries", 0)
        if "http_client" not in kwargs:
            kwargs["http_client"] = self._client()
        sdk: SocialAPI = client_class(**kwargs)
        return sdk

    def async_sdk(self, **kwargs: Any) -> AsyncSocialAPI:
        """The official ``socialapi.AsyncSocialAPI`` on this tenant; ``max_retries=0`` unless given."""
        client_class = _sdk_module().AsyncSocialAPI
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("max_retries", 0)
        if "http_client" not in kwargs:
            kwargs["http_client"] = httpx.AsyncClient(
                base_url=self.base_url, transport=self._async_transport(), trust_env=False
            )
        sdk: AsyncSocialAPI = client_class(**kwargs)
        return sdk

    def close(self) -> None:
        self.http.close()
        if self._owns_transport:
            self._transport.close()

    def __enter__(self) -> TenantHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<TenantHandle {self.api_key} at {self.base_url}>"


class LiveServer:
    """A mock served by uvicorn on a loopback port; ``tenant(key)`` gives a handle over HTTP."""

    def __init__(self, threaded: ThreadedServer) -> None:
        self.threaded = threaded
        self.server = threaded.mock
        self.url = threaded.url
        # One pool for every tenant handle: they differ only in their Authorization header.
        self._transport = httpx.HTTPTransport()

    def tenant(self, api_key: str) -> TenantHandle:
        """A handle on the tenant of ``api_key`` (created from the fixtures on first use)."""
        return TenantHandle.over_url(
            self.url, api_key, transport=self._transport, control_token=self.server.settings.control_token
        )

    def close(self) -> None:
        self._transport.close()
        self.threaded.stop()

    def __repr__(self) -> str:
        return f"<LiveServer {self.url}>"


def scenario_documents(
    values: ScenarioSpec | list[ScenarioSpec] | tuple[ScenarioSpec, ...], *, base_dir: Path | None
) -> list[ScenarioDocument]:
    """One or several scenario specs as validated documents (a list may mix names, paths and dicts)."""
    if isinstance(values, list | tuple):
        return [scenario_document(value, base_dir=base_dir) for value in values]
    return [scenario_document(values, base_dir=base_dir)]
