"""Disconnecting an account, and expiring one to test the reconnect experience."""

from __future__ import annotations

import httpx
import pytest
from socialapi import ForbiddenError, NotFoundError, SocialAPI

from mockserver.client import TenantHandle
from tests.conftest import ACCOUNTS, target

FIXTURE_BRAND = "4b0f3c1e-5d2a-4e8b-9a71-2c6d8e0f1a23"


def test_a_disconnected_account_leaves_the_lists_and_its_scheduled_targets_fail(
    sdk: SocialAPI, client: httpx.Client, handle: TenantHandle
) -> None:
    scheduled = client.post(
        "/v1/posts",
        json={
            "text": "later",
            "targets": [target("linkedin"), target("threads")],
            "scheduled_at": "2026-01-01T10:00:00Z",
        },
    ).json()
    sdk.accounts.disconnect(ACCOUNTS["linkedin"])
    assert ACCOUNTS["linkedin"] not in {a.id for a in sdk.accounts.list().data}
    assert [e["data"] for e in handle.events if e["event"] == "account.disconnected"] == [
        {"account_id": ACCOUNTS["linkedin"], "platform": "linkedin", "reconnect_required": False}
    ]
    with pytest.raises(NotFoundError):
        sdk.accounts.disconnect(ACCOUNTS["linkedin"])
    assert client.get(f"/v1/accounts/{ACCOUNTS['linkedin']}/pages").status_code == 404
    refused = client.post("/v1/posts", json={"text": "new", "targets": [target("linkedin")]})
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "account.not_found"

    handle.advance(to="2026-01-01T10:00:00Z")
    post = client.get(f"/v1/posts/{scheduled['id']}").json()
    outcome = {t["platform"]: t for t in post["targets"]}
    assert post["status"] == "partial" and outcome["threads"]["status"] == "published"
    assert outcome["linkedin"]["error"]["code"] == "platform.linkedin.auth"
    assert outcome["linkedin"]["error"]["category"] == "auth"


def test_a_brand_can_be_deleted_once_its_accounts_are_disconnected(sdk: SocialAPI, handle: TenantHandle) -> None:
    brand = sdk.brands.create(name="Short-lived")
    account = handle.connect_account("threads", brand_id=brand.id)
    with pytest.raises(Exception, match="still has 1 connected account"):
        sdk.brands.delete(brand.id)
    sdk.accounts.disconnect(account["id"])
    sdk.brands.delete(brand.id)
    assert [b.id for b in sdk.brands.list()] == [FIXTURE_BRAND]


def test_an_expired_account_needs_reconnecting_until_it_is(
    sdk: SocialAPI, client: httpx.Client, handle: TenantHandle
) -> None:
    expired = handle.expire_account(ACCOUNTS["facebook"], "The Facebook session was invalidated.")
    assert expired["status"] == "reconnect_required"
    assert expired["reconnect_reason"] == "The Facebook session was invalidated."
    [event] = [e["data"] for e in handle.events if e["event"] == "account.disconnected"]
    assert event == {
        "account_id": ACCOUNTS["facebook"],
        "platform": "facebook",
        "reason": "access_revoked",
        "reconnect_required": True,
    }
    with pytest.raises(ForbiddenError) as raised:
        sdk.publishing.create(text="hi", targets=[target("facebook")], publish_now=True)
    assert raised.value.code == "account.reconnection_required"
    handle.connect_account("facebook", profile=ACCOUNTS["facebook"])
    post = sdk.publishing.create(text="hi again", targets=[target("facebook")], publish_now=True)
    assert post.status == "published"


def test_expiring_an_unknown_account_is_a_404(client: httpx.Client) -> None:
    response = client.post("/_mock/accounts/acc_nope/expire", json={"reason": "x"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "account.not_found"
