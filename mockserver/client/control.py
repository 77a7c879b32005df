"""``ControlClient``: the ``/_mock`` control API of one tenant, typed, over any ``httpx`` transport."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from mockserver.core.journal import HANDLE_ID_PREFIX
from mockserver.core.timefmt import format_instant, parse_instant

if TYPE_CHECKING:
    pass
from mockserver.client.errors import ControlError, VerificationError
from mockserver.client.scenario_files import ScenarioSpec, is_scenario_path, scenario_document

_PAGE_SIZE = 100


_UNSET: Any = object()


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
        replies: Mapping[str, Any] | None = None,
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
        if replies is not None:
            body["replies"] = dict(replies)
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

    def assert_replied(
        self,
        kind: str | None = None,
        to: str | None = None,
        *,
        text_contains: str | None = None,
        account_id: str | None = None,
        platform: str | None = None,
        times: int | None = None,
    ) -> None:
        """Fail unless the app sent a matching inbox reply (``times`` exactly, else at least one).

        ``kind`` is ``"comment"``, ``"dm"``, ``"review"`` or ``"private_reply"``; ``to`` what it answers:
        the comment (either id), the conversation id or the review id. ``times=0``: it sent none.
        """
        __tracebackhide__ = True
        match = {
            "kind": kind,
            "to": to,
            "text_contains": text_contains,
            "account_id": account_id,
            "platform": platform,
        }
        self._assert(replies={key: value for key, value in match.items() if value is not None}, count=times)

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

    def arrive(self, kind: str, text: str, *, at: datetime | str | None = None, **fields: Any) -> dict[str, Any]:
        """Make something arrive in the inbox: ``"comment"`` (``post_id=``, optionally ``comment_id=``),
        ``"dm"``, ``"review"`` (``rating=``) or ``"mention"`` (``account_id=``), now or ``at`` an instant;
        ``author_name=`` names who wrote it. Returns ``{"id", "kind", "account_id", "at", "arrived",
        "result_id"}``: the comment's platform id, the DM's conversation id, the review's or mention's id."""
        if isinstance(at, datetime):
            if at.tzinfo is None:
                raise ValueError("arrive(at=...) needs an aware datetime; pass tzinfo=UTC")
            at = format_instant(at.astimezone(UTC))
        body = {"kind": kind, "text": text, **fields, **({"at": at} if at is not None else {})}
        arrival: dict[str, Any] = self._call("POST", "/_mock/inbox/arrivals", json=body)
        return arrival


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
