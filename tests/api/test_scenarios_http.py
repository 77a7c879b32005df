"""Scenarios through the HTTP API: partial and failed publishes, firing-time failures, retry, faults."""

from __future__ import annotations

import time

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from tests.conftest import ACCOUNTS, IMAGE, VIDEO, target

THREE = [target("facebook"), target("linkedin"), target("twitter")]


def use(client: httpx.Client, scenario: object) -> httpx.Response:
    response = client.put("/_mock/scenarios", json=scenario)
    assert response.status_code == 200, response.text
    return response


def test_one_platform_down_gives_a_207_partial(client: httpx.Client) -> None:
    use(client, {"name": "facebook-down"})
    response = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": THREE})
    assert response.status_code == 207
    post = response.json()
    assert post["status"] == "partial"
    failed = [t for t in post["targets"] if t["status"] == "failed"]
    assert [t["platform"] for t in failed] == ["facebook"]
    assert failed[0]["error"]["code"] == "platform.facebook.api_error"
    assert "platform_post_id" not in failed[0]


def test_everything_down_gives_a_422_with_the_post_as_body(client: httpx.Client, sdk: SocialAPI) -> None:
    use(client, {"name": "everything-down"})
    with pytest.raises(socialapi.APIStatusError) as caught:
        sdk.publishing.create(text="x", publish_now=True, targets=THREE)
    assert caught.value.status_code == 422
    body = caught.value.body
    assert isinstance(body, dict) and body["status"] == "failed"
    assert {t["error"]["code"] for t in body["targets"]} == {
        "platform.facebook.api_error",
        "platform.linkedin.api_error",
        "platform.twitter.api_error",
    }


def test_a_failed_target_carries_exactly_the_scenario_error(client: httpx.Client) -> None:
    fail = {"code": "platform.linkedin.auth", "message": "token expired", "category": "auth", "caused_by": "user"}
    use(
        client,
        {"name": "custom", "description": "d", "deliveries": [{"match": {"platform": "linkedin"}, "fail": fail}]},
    )
    post = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": [target("linkedin")]}).json()
    assert post["targets"][0]["error"] == fail


def test_a_scheduled_post_fails_at_fire_time_in_an_outage_window(client: httpx.Client) -> None:
    use(client, {"name": "outage-window"})
    inside = client.post(
        "/v1/posts", json={"text": "in", "scheduled_at": "2026-01-01T12:30:00Z", "targets": [target("linkedin")]}
    ).json()["id"]
    after = client.post(
        "/v1/posts", json={"text": "out", "scheduled_at": "2026-01-01T14:00:00Z", "targets": [target("linkedin")]}
    ).json()["id"]
    fired = client.post("/_mock/clock/advance", json={"to": "2026-01-01T15:00:00Z"}).json()["fired"]
    assert fired == [{"post_id": inside, "status": "failed"}, {"post_id": after, "status": "published"}]


def test_retry_redelivers_failed_targets_at_the_next_advance(client: httpx.Client, sdk: SocialAPI) -> None:
    use(client, {"name": "retry-recovers"})
    post = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": THREE})
    assert post.status_code == 422
    pid = post.json()["id"]
    assert sdk.usage.get().posts_used == 1
    sdk.posts.retry(pid)
    pending = sdk.posts.get(pid)
    assert pending.status == "publishing" and pending.retry_count == 1
    fired = client.post("/_mock/clock/advance", json={"seconds": 0}).json()["fired"]
    assert fired == [{"post_id": pid, "status": "published"}]
    assert sdk.usage.get().posts_used == 2
    with pytest.raises(socialapi.ConflictError) as caught:
        sdk.posts.retry(pid)
    assert caught.value.code == "post.state_invalid"


def test_retry_of_a_partial_post_keeps_the_published_targets(client: httpx.Client) -> None:
    use(client, {"name": "facebook-down"})
    post = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": THREE}).json()
    kept = {t["platform"]: t["platform_post_id"] for t in post["targets"] if t["status"] == "published"}
    client.delete("/_mock/scenarios")
    assert client.post(f"/v1/posts/{post['id']}/retry").json() == {"success": True}
    client.post("/_mock/clock/advance", json={"seconds": 1})
    after = client.get(f"/v1/posts/{post['id']}").json()
    assert after["status"] == "published"
    assert {t["platform"]: t["platform_post_id"] for t in after["targets"] if t["platform"] in kept} == kept


def test_retry_refusals(client: httpx.Client) -> None:
    draft = client.post("/v1/posts", json={"text": "d", "targets": [target("linkedin")]}).json()["id"]
    wrong_state = client.post(f"/v1/posts/{draft}/retry")
    assert (wrong_state.status_code, wrong_state.json()["error"]["code"]) == (400, "post.state_invalid")
    missing = client.post("/v1/posts/p_01KDVDNA00N2JG97Q9T8K979YF/retry")
    assert missing.status_code == 404
    use(client, {"name": "everything-down"})
    google = client.post("/v1/posts", json={"text": "g", "publish_now": True, "targets": [target("google")]}).json()
    refused = client.post(f"/v1/posts/{google['id']}/retry")
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "resource.not_supported")


def test_a_request_fault_answers_503_with_retry_after_and_stores_nothing(client: httpx.Client) -> None:
    use(client, {"name": "api-503-burst"})
    for _ in range(3):
        response = client.post("/v1/posts", json={"text": "x", "targets": [target("linkedin")]})
        assert response.status_code == 503
        assert response.headers["retry-after"] == "2"
        assert response.json()["error"]["code"] == "system.internal"
    assert client.get("/v1/posts").json()["data"] == []
    assert client.post("/v1/posts", json={"text": "x", "targets": [target("linkedin")]}).status_code == 201


def test_the_sdk_retries_a_503_after_retry_after(client: httpx.Client) -> None:
    use(
        client,
        {
            "name": "once",
            "description": "d",
            "requests": [
                {
                    "match": {"method": "GET", "path": "/v1/posts/{pid}"},
                    "times": 1,
                    "respond": {"status": 503, "code": "system.internal", "message": "busy", "retry_after": 0},
                }
            ],
        },
    )
    pid = client.post("/v1/posts", json={"text": "x"}).json()["id"]
    sdk = SocialAPI(api_key="sapi_key_test", base_url="http://mock", max_retries=1, http_client=client)
    assert sdk.posts.get(pid).id == pid
    statuses = [e["status"] for e in client.get("/_mock/requests").json()["data"] if e["method"] == "GET"]
    assert statuses[-2:] == [503, 200]


def test_credits_exhausted_mid_campaign(client: httpx.Client) -> None:
    use(client, {"name": "credits-exhausted"})
    codes = [
        client.post(
            "/v1/posts", json={"text": f"{n}", "publish_now": True, "targets": [target("linkedin")]}
        ).status_code
        for n in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]


def test_latency_makes_the_synchronous_answer_wait(client: httpx.Client) -> None:
    use(
        client,
        {"name": "slow", "description": "d", "deliveries": [{"match": {"platform": "threads"}, "latency_ms": 150}]},
    )
    started = time.monotonic()
    response = client.post("/v1/posts", json={"text": "x", "publish_now": True, "targets": [target("threads")]})
    assert response.status_code == 201
    assert time.monotonic() - started >= 0.15


def test_scenarios_are_listed_with_fired_counts_and_cleared(client: httpx.Client) -> None:
    use(client, {"name": "instagram-throttled"})
    body = {
        "text": "x",
        "publish_now": True,
        "media_ids": [IMAGE],
        "targets": [target("instagram", platform_data={"content_type": "feed"})],
    }
    statuses = [client.post("/v1/posts", json={**body, "text": str(n)}).status_code for n in range(3)]
    assert statuses == [422, 422, 201]
    listed = client.get("/_mock/scenarios").json()["data"]
    assert [d["name"] for d in listed] == ["instagram-throttled"]
    assert listed[0]["deliveries"][0]["fired"] == 2
    assert client.delete("/_mock/scenarios").json() == {"success": True}
    assert client.get("/_mock/scenarios").json() == {"data": []}


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"name": "no-such-bundled-scenario"}, "name"),
        ({"name": "x", "description": "d", "deliveries": [{"fial": {}}]}, "deliveries[0].fial"),
        ({"name": "x", "description": "d", "deliveries": [{"probability": 2}]}, "deliveries[0].probability"),
        (
            {"name": "x", "description": "d", "requests": [{"respond": {"status": 200, "code": "c", "message": "m"}}]},
            "requests[0].respond.status",
        ),
        ([], None),
    ],
)
def test_bad_scenario_documents_are_400_naming_the_field(
    client: httpx.Client, document: object, field: str | None
) -> None:
    response = client.put("/_mock/scenarios", json=document)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"].startswith("validation.")
    if field is not None:
        assert error["meta"]["field"] == field
    assert client.get("/_mock/scenarios").json() == {"data": []}


def test_probabilities_replay_identically_for_the_same_seed(server: object) -> None:
    from mockserver import MockServer, Settings
    from mockserver.testing import sync_transport

    def outcomes(seed: int) -> list[int]:
        mock = MockServer(Settings(seed=seed))
        with httpx.Client(
            transport=sync_transport(mock.app), base_url="http://m", headers={"Authorization": "Bearer sapi_key_p"}
        ) as http:
            use(http, {"name": "facebook-flaky"})
            return [
                http.post(
                    "/v1/posts", json={"text": str(n), "publish_now": True, "targets": [target("facebook")]}
                ).status_code
                for n in range(30)
            ]

    first = outcomes(1)
    assert first == outcomes(1)
    assert 422 in first and 201 in first
    assert first != outcomes(2)


def test_scenarios_from_the_cli_apply_to_every_tenant_and_survive_reset() -> None:
    from mockserver import MockServer, Settings
    from mockserver.loading.scenarios import bundled_scenarios_dir
    from mockserver.testing import sync_transport

    mock = MockServer(Settings(scenario_files=(bundled_scenarios_dir() / "tiktok-media-required.yaml",)))
    body = {
        "text": "x",
        "publish_now": True,
        "media_ids": [VIDEO],
        "targets": [{"account_id": ACCOUNTS["tiktok"], "platform_data": {"privacy_level": "SELF_ONLY"}}],
    }
    with httpx.Client(transport=sync_transport(mock.app), base_url="http://m") as http:
        for key in ("sapi_key_a", "sapi_key_b"):
            headers = {"Authorization": f"Bearer {key}"}
            assert http.post("/v1/posts", json=body, headers=headers).status_code == 422
        http.post("/_mock/reset", headers=headers)
        assert http.post("/v1/posts", json=body, headers=headers).status_code == 422
