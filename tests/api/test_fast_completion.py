"""Fast completion (2026-08-22): a publish whose every delivery fails at once answers its outcome.

The reference lists 422 ``publishing.delivery.all_failed`` (fast completion) on ``POST /v1/posts``
and ``POST /v1/posts/{pid}/publish``; a target SocialAPI refuses before calling the platform (here: an
account that needs reconnecting) fails within the request.
"""

from __future__ import annotations

import httpx
import pytest

from mockserver import Settings
from tests.conftest import ACCOUNTS, IMAGE

INSTAGRAM, THREADS, FACEBOOK = ACCOUNTS["instagram"], ACCOUNTS["threads"], ACCOUNTS["facebook"]


@pytest.fixture
def settings() -> Settings:
    return Settings(api_version="2026-08-22")


def test_every_delivery_failing_at_once_answers_422_with_the_failed_post(client: httpx.Client) -> None:
    # skip_validation lets the post through; SocialAPI's own check then fails the target before the platform.
    body = {"text": "Fresh roast", "media_ids": [IMAGE], "targets": [{"account_id": INSTAGRAM}]}
    answered = client.post("/v1/posts", json={**body, "publish_now": True, "skip_validation": True})
    assert answered.status_code == 422
    post = answered.json()
    assert post["status"] == "failed" and post["targets"][0]["status"] == "failed"
    assert post["targets"][0]["error"]["code"] == "validation.field_required"
    assert client.get(f"/v1/posts/{post['id']}").json()["status"] == "failed"


def test_publish_of_a_draft_whose_account_left_completes_fast(client: httpx.Client) -> None:
    draft = client.post("/v1/posts", json={"text": "Fresh roast", "targets": [{"account_id": THREADS}]}).json()
    client.delete(f"/v1/accounts/{THREADS}")
    answered = client.post(f"/v1/posts/{draft['id']}/publish")
    assert answered.status_code == 422 and answered.json()["status"] == "failed"


def test_a_target_that_reaches_the_platform_keeps_the_post_publishing(client: httpx.Client) -> None:
    targets = [{"account_id": THREADS}, {"account_id": FACEBOOK}]
    draft = client.post("/v1/posts", json={"text": "Fresh roast", "targets": targets}).json()
    for page in client.get(f"/v1/accounts/{FACEBOOK}/pages").json()["data"]:
        client.patch(f"/v1/accounts/{FACEBOOK}/pages/{page['id']}", json={"is_active": False})
    answered = client.post(f"/v1/posts/{draft['id']}/publish")
    assert answered.status_code == 201
    post = answered.json()
    assert post["status"] == "publishing"
    assert {t["account_id"]: t["status"] for t in post["targets"]} == {THREADS: "publishing", FACEBOOK: "failed"}
    client.post("/_mock/clock/advance", json={"seconds": 0})
    assert client.get(f"/v1/posts/{post['id']}").json()["status"] == "partial"


def test_a_healthy_publish_still_answers_201_publishing(client: httpx.Client) -> None:
    answered = client.post(
        "/v1/posts", json={"text": "Fresh roast", "targets": [{"account_id": THREADS}], "publish_now": True}
    )
    assert answered.status_code == 201 and answered.json()["status"] == "publishing"
