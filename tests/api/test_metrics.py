"""GET /v1/posts/{pid}/metrics: deterministic engagement that grows with the fake clock."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from mockserver import MockServer, Settings
from mockserver.api.shapes.posts import PostMetricsEnvelopeOut
from mockserver.testing import sync_transport
from tests.conftest import AUTH, IMAGE, target

TARGETS = [target("facebook"), target("linkedin"), target("instagram", platform_data={"content_type": "feed"})]


def counts(sdk: SocialAPI, pid: str) -> list[tuple[int, int, int, int]]:
    metrics = sdk.posts.get_metrics(pid)
    return [(m.likes, m.comments, m.shares, m.saves) for t in metrics.targets if (m := t.metrics) is not None]


def test_metrics_start_at_zero_and_never_go_down(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(text="Live", publish_now=True, targets=TARGETS, media_ids=[IMAGE])
    seen = [counts(sdk, post.id)]
    assert seen[0] == [(0, 0, 0, 0)] * 3
    for _ in range(6):
        client.post("/_mock/clock/advance", json={"seconds": 6 * 3600})
        seen.append(counts(sdk, post.id))
    for earlier, later in itertools.pairwise(seen):
        for a, b in zip(earlier, later, strict=True):
            assert all(x <= y for x, y in zip(a, b, strict=True))
    assert all(likes > 0 for likes, *_ in seen[-1])
    assert seen[-1] != seen[1], "engagement keeps growing after the first hours"


def test_the_metrics_body_is_documented_and_synced_now(post_metrics_body: dict[str, object]) -> None:
    PostMetricsEnvelopeOut.model_validate(post_metrics_body)
    data = post_metrics_body["data"]
    assert isinstance(data, dict)
    target_ = data["targets"][0]
    assert target_["metrics_synced_at"] == "2026-01-02T00:00:00Z"
    assert set(target_["metrics"]) == {"likes", "comments", "shares", "saves", "extra"}


@pytest.fixture
def post_metrics_body(client: httpx.Client) -> dict[str, object]:
    pid = client.post("/v1/posts", json={"text": "Live", "publish_now": True, "targets": [target("linkedin")]}).json()[
        "id"
    ]
    client.post("/_mock/clock/advance", json={"to": "2026-01-02T00:00:00Z"})
    response = client.get(f"/v1/posts/{pid}/metrics")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _run_script() -> list[tuple[int, int, int, int]]:
    server = MockServer(Settings())
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as http:
        sdk = SocialAPI(api_key="sapi_key_test", base_url="http://mock", max_retries=0, http_client=http)
        post = sdk.publishing.create(text="Live", publish_now=True, targets=TARGETS, media_ids=[IMAGE])
        http.post("/_mock/clock/advance", json={"seconds": 30 * 3600})
        return counts(sdk, post.id)


def test_the_same_script_gives_the_same_metrics() -> None:
    assert _run_script() == _run_script()


def test_scheduled_posts_count_from_their_own_publication(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(
        text="Later", scheduled_at=datetime(2026, 1, 2, tzinfo=UTC), targets=[target("linkedin")]
    )
    assert sdk.posts.get_metrics(post.id).targets[0].metrics is None
    client.post("/_mock/clock/advance", json={"to": "2026-01-02T00:00:00Z"})
    assert counts(sdk, post.id) == [(0, 0, 0, 0)]
    client.post("/_mock/clock/advance", json={"seconds": 86400})
    assert counts(sdk, post.id)[0][0] > 0


def test_only_published_targets_carry_metrics(client: httpx.Client, sdk: SocialAPI) -> None:
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    post = client.post(
        "/v1/posts", json={"text": "x", "publish_now": True, "targets": [target("facebook"), target("linkedin")]}
    ).json()
    client.post("/_mock/clock/advance", json={"seconds": 86400})
    metrics = sdk.posts.get(post["id"]).get_metrics()
    assert metrics.post_id == post["id"]
    by_platform = {t.platform: t for t in metrics.targets}
    assert by_platform["facebook"].metrics is None and by_platform["facebook"].metrics_synced_at is None
    assert by_platform["facebook"].error is not None
    assert by_platform["linkedin"].metrics is not None
    assert by_platform["linkedin"].metrics_synced_at == datetime(2026, 1, 2, tzinfo=UTC)


def test_metrics_of_an_unknown_post_are_404(sdk: SocialAPI) -> None:
    with pytest.raises(socialapi.NotFoundError) as caught:
        sdk.posts.get_metrics("p_01JG00000000000000000000000")
    assert caught.value.code == "post.not_found"
