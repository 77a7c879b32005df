"""A post whose targets move to another account is listed under that account, and only under it."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ACCOUNTS, target

TOMORROW = "2026-01-02T09:00:00Z"


def listed(client: httpx.Client, account: str) -> list[str]:
    response = client.get("/v1/posts", params={"account_ids": ACCOUNTS[account], "limit": 100})
    assert response.status_code == 200, response.text
    return [post["id"] for post in response.json()["data"]]


# A draft keeps its creation instant and a scheduled post its instant: only the accounts change,
# which is the case the store re-files in place (the timeline keys stay where they were).
@pytest.mark.parametrize("schedule", [{}, {"scheduled_at": TOMORROW}], ids=["draft", "scheduled"])
def test_a_retargeted_post_is_listed_by_its_new_account(client: httpx.Client, schedule: dict[str, str]) -> None:
    created = client.post("/v1/posts", json={"text": "moving", "targets": [target("linkedin")], **schedule})
    assert created.status_code == 201, created.text
    post = created.json()["id"]
    assert listed(client, "linkedin") == [post]

    edited = client.patch(f"/v1/posts/{post}", json={"targets": [target("facebook"), target("threads")]})
    assert edited.status_code == 200, edited.text

    assert listed(client, "linkedin") == []
    assert listed(client, "facebook") == [post]
    assert listed(client, "threads") == [post]
    both = client.get("/v1/posts", params={"account_ids": f"{ACCOUNTS['linkedin']},{ACCOUNTS['facebook']}"})
    assert [p["id"] for p in both.json()["data"]] == [post]
