"""Tenant isolation across every route of the route tables: one key never reaches another's data.

Tenant A holds posts, uploaded media, a webhook with a delivery, an active scenario and a moved
clock. Tenant B then calls every route, with A's ids wherever a route takes an id. Each call must
leave A exactly as it was and must not mention any of A's ids; a call naming A's resource answers
404, as the real API does (never 403, which would confirm the resource exists).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from mockserver import MockServer, Settings
from mockserver.api.spec import operation_of
from tests.conftest import ACCOUNTS, IMAGE
from tests.robustness.helpers import PATH_PARAM, ROUTE_IDS, ROUTES, client, fill, fingerprint, seed_posts

OWNER = "sapi_key_tenant_a"
INTRUDER = "sapi_key_tenant_b"
ID = re.compile(
    r"\b(?:(?:p|med|wh|whd|evt|acc|sapi_page|sapi_board|conv|msg|sapi_rev|sapi_mnt|arr|exp|inv)_[0-9A-Z]{26}"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}|pc_[0-9a-f]{32}|cred_[0-9a-f]{23})\b"
)
# Routes the real API refuses to every API key alike (dashboard only): a 403 that reveals nothing.
DASHBOARD_ONLY = "auth.dashboard_only"
SCENARIO = {
    "name": "a-only",
    "description": "tenant A's own outage",
    "requests": [
        {
            "match": {"method": "POST", "path": "/v1/posts"},
            "respond": {"status": 503, "code": "system.internal", "message": "down for A"},
        }
    ],
}


class World:
    """Tenant A's resources on one server, and what A sees of them."""

    def __init__(self) -> None:
        # 2026-08-22: its pending selections, Facebook logins and board management are routes too.
        # (publishing synchronously, so that the inbox's published post has its platform id at once).
        self.server = MockServer(Settings(api_version="2026-08-22", publish_mode="sync"))
        self.owner = client(self.server, OWNER)
        self.intruder = client(self.server, INTRUDER)
        posts = seed_posts(self.owner)
        upload = self.owner.post(
            "/v1/media/upload", files={"file": ("a.jpg", b"\xff\xd8\xff" + b"0" * 64, "image/jpeg")}
        )
        assert upload.status_code == 201, upload.text
        hook = self.owner.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["post.published"]})
        assert hook.status_code == 201, hook.text
        test = self.owner.post(f"/v1/webhooks/{hook.json()['id']}/test", json={"event_type": "post.published"})
        assert test.status_code == 200, test.text
        delivery = self.owner.get(f"/v1/webhooks/{hook.json()['id']}/deliveries").json()["data"][0]["id"]
        brand = self.owner.post("/v1/brands", json={"name": "A's brand"})
        assert brand.status_code == 201, brand.text
        account, page, login = self._facebook(brand.json()["id"])
        board_owner = self.owner.post("/_mock/oauth/approve", json={"auth_url": self._connect("pinterest")})
        self.board_account = board_owner.json()["account_id"]
        [board] = self.owner.get(f"/v1/accounts/{self.board_account}/boards").json()["data"]
        inbox = self._inbox()
        export = self.owner.post(f"/v1/accounts/{ACCOUNTS['tiktok']}/export")
        assert export.status_code == 202, export.text
        invite = self.owner.post(
            "/v1/invites", json={"brand_id": brand.json()["id"], "platform": "instagram", "expires_in_days": 7}
        )
        assert invite.status_code == 201, invite.text
        key = self.owner.post("/v1/keys", json={"name": "A's second key"})
        assert key.status_code == 201, key.text
        assert self.owner.put("/_mock/scenarios", json=SCENARIO).status_code == 200
        assert self.owner.post("/_mock/clock/advance", json={"seconds": 3600}).status_code == 200
        # A second approval of the same login, left pending (after the clock moved: it lasts 30 minutes).
        waiting = self._approve("facebook", brand.json()["id"])
        self.params = {
            "pid": posts["draft"],
            "media_id": upload.json()["media_id"],
            "webhook_id": hook.json()["id"],
            "delivery_id": delivery,
            "brand_id": brand.json()["id"],
            "account_id": account,
            "page_id": page["id"],
            "connection_id": waiting["connection_id"],
            "login_id": login,
            "board_id": board["id"],
            "uri_id": "sapi_ruri_000000000000",
            **inbox,
            "export_id": export.json()["id"],
            "invite_id": invite.json()["id"],
            "key_id": key.json()["id"],
        }
        self.backend = self.server.tenant(OWNER)
        # Ids only A has; fixture ids (accounts, seed media) are every tenant's own copy.
        own = self.owner.get("/_mock/state").text + "".join(map(str, self.seen_by_owner().values()))
        self.secrets = set(ID.findall(own)) - set(ID.findall(self.intruder.get("/_mock/state").text))
        # Platform ids (a post's, a comment's) are digits, not ids of the mock's own shape; YouTube's own
        # video ids the mock keeps no list of.
        platform_ids = {"sapi_ruri_000000000000", inbox["post_id"], inbox["comment_id"]}
        assert set(self.params.values()) - platform_ids <= self.secrets
        self.params |= {"video_id": "vid_of_a"}
        # Not an id: the name of A's active scenario, which B has none of.
        self.params["name"] = SCENARIO["name"]
        # Ids B has itself put in a request: B's own journal (and state export) rightly shows them.
        self.asked_by_intruder: set[str] = set()

    def _inbox(self) -> dict[str, str]:
        """A's inbox: a published post with a comment, a conversation, a review."""
        post = {
            "text": "A",
            "publish_now": True,
            "media_ids": [IMAGE],
            "targets": [{"account_id": ACCOUNTS["facebook"]}],
        }
        published = self.owner.post("/v1/posts", json=post)
        assert published.status_code == 201, published.text
        post_id = published.json()["targets"][0]["platform_post_id"]
        arrivals = [
            {"kind": "comment", "post_id": post_id, "text": "hi"},
            {"kind": "dm", "account_id": ACCOUNTS["facebook"], "text": "hi"},
            {"kind": "review", "account_id": ACCOUNTS["google"], "text": "ok"},
        ]
        comment, conversation, review = (self.owner.post("/_mock/inbox/arrivals", json=a).json() for a in arrivals)
        return {
            "post_id": post_id,
            "comment_id": comment["result_id"],
            "conversation_id": conversation["result_id"],
            "review_id": review["result_id"],
        }

    def _connect(self, platform: str, brand_id: str | None = None) -> str:
        body = {"platform": platform} if brand_id is None else {"platform": platform, "brand_id": brand_id}
        connect = self.owner.post("/v1/accounts/connect", json=body)
        assert connect.status_code == 202, connect.text
        return str(connect.json()["auth_url"])

    def _approve(self, platform: str, brand_id: str) -> dict[str, Any]:
        approved = self.owner.post("/_mock/oauth/approve", json={"auth_url": self._connect(platform, brand_id)})
        assert approved.json()["status"] == "selection_required", approved.text
        return dict(approved.json())

    def _facebook(self, brand_id: str) -> tuple[str, dict[str, Any], str]:
        """A's Facebook account with its one Page, selected through a pending connection."""
        pending = self.owner.get(f"/v1/accounts/pending/{self._approve('facebook', brand_id)['connection_id']}")
        choice = {"page_ids": [p["platform_page_id"] for p in pending.json()["pages"]]}
        selected = self.owner.post(f"/v1/accounts/pending/{pending.json()['connection_id']}/select", json=choice)
        assert selected.status_code == 201, selected.text
        account = selected.json()["account_id"]
        [page] = self.owner.get(f"/v1/accounts/{account}/pages").json()["data"]
        return account, page, str(pending.json()["login_id"])

    def views(self, http: httpx.Client) -> list[str]:
        """Every public GET route, with A's ids: what A can see of its own resources."""
        return [fill(p, self.params) for m, p, _, control in ROUTES if m == "GET" and not control]

    def seen_by_owner(self) -> dict[str, Any]:
        seen = {}
        for path in self.views(self.owner):
            response = self.owner.get(path)
            # An error body carries a fresh request id; its status and code are what matter.
            seen[path] = response.text if response.is_success else (response.status_code, response.json()["error"])
        return seen


@pytest.fixture(scope="module")
def world() -> World:
    return World()


def sample(model: type[BaseModel] | None) -> Any:
    """The smallest body ``model`` accepts in shape: required fields only, plain values."""
    if model is None:
        return None
    body: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if not field.is_required():
            continue
        annotation = str(field.annotation)
        if "list" in annotation:
            body[field.alias or name] = []
        elif "int" in annotation or "float" in annotation:
            body[field.alias or name] = 1
        elif "bool" in annotation:
            body[field.alias or name] = False
        elif "dict" in annotation:
            body[field.alias or name] = {}
        else:
            body[field.alias or name] = "x"
    return body


@pytest.mark.parametrize(("method", "path", "handler", "control"), ROUTES, ids=ROUTE_IDS)
def test_another_tenant_cannot_reach_or_change_what_a_tenant_holds(
    world: World, method: str, path: str, handler: Any, control: bool
) -> None:
    unknown = set(PATH_PARAM.findall(path)) - set(world.params)
    assert not unknown, f"the isolation test has no resource of tenant A for {unknown}: add one to World"
    before_state = fingerprint(world.backend)
    before_views = world.seen_by_owner()
    spec = operation_of(handler)
    body = sample(spec.request if spec is not None else None)
    url = fill(path, world.params)
    world.asked_by_intruder.update(ID.findall(url))
    if spec is not None and spec.request_content_type.startswith("multipart/"):
        response = world.intruder.request(method, url, files={"file": ("b.jpg", b"b", "image/jpeg")})
    else:
        response = world.intruder.request(method, url, json=body)
    assert response.status_code < 500, response.text
    if response.status_code == 403 and response.json()["error"]["code"] == DASHBOARD_ONLY:
        pass
    elif PATH_PARAM.search(path):
        assert response.status_code == 404, response.text
    # A 404 may repeat an id B asked for, and B's journal lists B's own requests; anything else
    # of A's is a leak.
    leaked = set(ID.findall(response.text)) & world.secrets - world.asked_by_intruder
    assert not leaked, f"{method} {path} by tenant B shows tenant A's {leaked}"
    assert fingerprint(world.backend) == before_state
    assert world.seen_by_owner() == before_views
    if (method, path) == ("DELETE", "/v1/users/me"):
        # B deleted its own user, which closes B's keys: B starts again for the routes that follow.
        assert world.intruder.get("/v1/accounts").status_code == 401
        world.intruder.post("/_mock/reset")


def test_a_scenario_of_one_tenant_does_not_touch_another(world: World) -> None:
    body = {"text": "not affected", "targets": [{"account_id": ACCOUNTS["linkedin"]}]}
    assert world.owner.post("/v1/posts", json=body).status_code == 503
    assert world.intruder.post("/v1/posts", json=body).status_code == 201


def test_clocks_are_per_tenant(world: World) -> None:
    owner = world.owner.get("/_mock/clock").json()["now"]
    world.intruder.post("/_mock/clock/advance", json={"seconds": 86_400 * 30})
    assert world.owner.get("/_mock/clock").json()["now"] == owner
    assert world.intruder.get("/_mock/clock").json()["now"] != owner


def test_lists_show_only_the_callers_own_resources(world: World) -> None:
    def listed(http: httpx.Client, *more: str) -> Iterator[str]:
        paths = ("/v1/posts", "/v1/media", "/v1/webhooks", "/_mock/events", "/_mock/scenarios", "/v1/brands")
        paths += ("/v1/inbox/comments", "/v1/inbox/conversations", "/v1/inbox/reviews")
        paths += ("/v1/exports", "/v1/keys")
        for path in (*paths, "/v1/accounts", *more):
            yield from ID.findall(http.get(path).text)
            yield from re.findall(r'"name":"([^"]+)"', http.get(path).text)

    assert not set(listed(world.intruder)) & (world.secrets | {SCENARIO["name"]})
    # Platform ids (a post's, a comment's, a YouTube video's) are digits or the platform's, which ID does not pick out.
    not_listed = {world.params[name] for name in ("delivery_id", "uri_id", "post_id", "comment_id", "video_id")}
    pages = f"/v1/accounts/{world.params['account_id']}/pages"
    invites = f"/v1/invites?brand_id={world.params['brand_id']}"
    pending = f"/v1/accounts/pending/{world.params['connection_id']}"
    boards = f"/v1/accounts/{world.board_account}/boards"
    login = f"/v1/platforms/facebook/logins/{world.params['login_id']}/pages"
    more = (pages, invites, pending, boards, login)
    assert set(world.params.values()) - not_listed <= set(listed(world.owner, *more))
