"""The HTTP shell adds nothing: the same calls on the backend directly and through HTTP agree."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from mockserver import MockServer
from mockserver.api.shapes.posts import PostOut
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.scenarios import parse_scenario
from mockserver.loading.scenarios import bundled_scenarios
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS

KEY = "sapi_key_differential"
BODIES: list[dict[str, object]] = [
    {"text": "draft", "targets": [{"account_id": ACCOUNTS["linkedin"]}]},
    {
        "text": "now",
        "publish_now": True,
        "targets": [{"account_id": ACCOUNTS["facebook"]}, {"account_id": ACCOUNTS["twitter"]}],
    },
    {"text": "later", "scheduled_at": "2026-01-01T06:00:00Z", "targets": [{"account_id": ACCOUNTS["threads"]}]},
]


def commands() -> list[NewPost]:
    return [
        NewPost(text="draft", targets=(NewTarget(ACCOUNTS["linkedin"]),)),
        NewPost(
            text="now", publish_now=True, targets=(NewTarget(ACCOUNTS["facebook"]), NewTarget(ACCOUNTS["twitter"]))
        ),
        NewPost(
            text="later", scheduled_at=datetime(2026, 1, 1, 6, tzinfo=UTC), targets=(NewTarget(ACCOUNTS["threads"]),)
        ),
    ]


def test_backend_and_http_give_the_same_posts() -> None:
    flaky = bundled_scenarios()["facebook-flaky"]

    direct = MockServer().tenant(KEY)
    direct.scenarios.activate(flaky)
    for command in commands():
        direct.posts.create_post(command)
    direct.posts.advance_clock(seconds=86_400)
    expected = [
        PostOut.of(post, direct.posts.metrics_at(direct.now())).model_dump(mode="json")
        for post in direct.posts.iter_posts()
    ]

    served = MockServer()
    with httpx.Client(
        transport=sync_transport(served.app), base_url="http://m", headers={"Authorization": f"Bearer {KEY}"}
    ) as http:
        assert http.put("/_mock/scenarios", json=flaky.to_json()).status_code == 200
        for body in BODIES:
            assert http.post("/v1/posts", json=body).status_code in (201, 207, 422)
        http.post("/_mock/clock/advance", json={"seconds": 86_400})
        got = http.get("/v1/posts", params={"sort": "created_asc", "limit": 100}).json()["data"]

    assert got == expected
    assert parse_scenario(flaky.to_json()) == flaky
