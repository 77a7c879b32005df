"""Helpers of the inbox tests: a published post, a quiet audience, scripted arrivals."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import ACCOUNTS, IMAGE, target


def publish(client: httpx.Client, *platforms: str) -> dict[str, str]:
    """Publish one post to ``platforms`` now; their platform post ids by platform."""
    targets = [target(p, platform_data={"content_type": "feed"}) if p == "instagram" else target(p) for p in platforms]
    body: dict[str, Any] = {"text": "New roast today", "publish_now": True, "media_ids": [IMAGE], "targets": targets}
    if "youtube" in platforms:
        body["title"] = "Roast"
    response = client.post("/v1/posts", json=body)
    assert response.status_code == 201, response.text
    return {t["platform"]: t["platform_post_id"] for t in response.json()["targets"]}


def quiet(client: httpx.Client) -> None:
    """No simulated audience: only what a test scripts arrives."""
    assert client.put("/_mock/inbox/audience", json={"enabled": False}).json() == {"enabled": False}


def arrive(client: httpx.Client, **body: Any) -> dict[str, Any]:
    response = client.post("/_mock/inbox/arrivals", json=body)
    assert response.status_code == 201, response.text
    arrival: dict[str, Any] = response.json()
    return arrival


def comment_on(client: httpx.Client, post: str, text: str = "Where can I buy it?", **extra: Any) -> str:
    """A scripted comment on a published post; its platform id."""
    result = arrive(client, kind="comment", post_id=post, text=text, **extra)["result_id"]
    assert isinstance(result, str)
    return result


def dm_from(client: httpx.Client, platform: str, name: str = "Dana", text: str = "Hi!") -> str:
    """A scripted DM to the fixture account of ``platform``; its conversation id."""
    result = arrive(client, kind="dm", account_id=ACCOUNTS[platform], author_name=name, text=text)["result_id"]
    assert isinstance(result, str)
    return result


def advance(client: httpx.Client, seconds: float) -> None:
    assert client.post("/_mock/clock/advance", json={"seconds": seconds}).status_code == 200
