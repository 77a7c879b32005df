"""Brand invites: single-use links that expire on the fake clock and connect an account to the brand."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from socialapi import AsyncSocialAPI, BadRequestError, ConflictError, NotFoundError, SocialAPI

from mockserver import MockServer
from tests.conftest import API_KEY


@pytest.fixture
def brand(client: httpx.Client) -> str:
    return str(client.post("/v1/brands", json={"name": "Client brand"}).json()["id"])


def test_the_sdk_creates_lists_and_revokes_invites(sdk: SocialAPI, brand: str) -> None:
    invite = sdk.invites.create(brand_id=brand, platform="instagram", expires_in_days=3)
    assert invite.url == f"http://mock/invite/{invite.token}" and len(invite.token) == 40
    assert invite.expires_at.isoformat() == "2026-01-04T00:00:00+00:00"
    [listed] = sdk.invites.list(brand)
    assert (listed.id, listed.is_active) == (invite.id, True)
    invite.revoke()
    newer = sdk.invites.create(brand_id=brand, platform="youtube")
    revoked = sdk.invites.list(brand)[1]
    assert [(i.id, i.is_active) for i in sdk.invites.list(brand)] == [(newer.id, True), (invite.id, False)]
    with pytest.raises(NotFoundError):
        revoked.revoke()


def test_the_async_sdk_creates_lists_and_revokes_invites(server: MockServer, brand: str) -> None:
    async def scenario() -> list[bool]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app), base_url="http://mock") as http:
            api = AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
            invite = await api.invites.create(brand_id=brand, platform="tiktok")
            before = [i.is_active for i in await api.invites.list(brand)]
            await api.invites.revoke(invite.id)
            bound = await api.invites.create(brand_id=brand, platform="youtube")
            await bound.revoke()
            return before + [i.is_active for i in await api.invites.list(brand)]

    assert asyncio.run(scenario()) == [True, False, False]


def test_invites_refuse_what_the_docs_refuse(sdk: SocialAPI, client: httpx.Client, brand: str) -> None:
    with pytest.raises(BadRequestError, match="expires_in_days must be one of: 1, 3, 7, 14, 30"):
        sdk.invites.create(brand_id=brand, platform="instagram", expires_in_days=2)
    with pytest.raises(NotFoundError, match="Brand not found"):
        sdk.invites.create(brand_id="nope", platform="instagram")
    sdk.invites.create(brand_id=brand, platform="instagram")
    with pytest.raises(ConflictError, match="an active invite already exists for this brand and platform"):
        sdk.invites.create(brand_id=brand, platform="instagram")
    fixture_brand = client.get("/v1/accounts").json()["data"][0]["brand_id"]
    with pytest.raises(ConflictError, match="brand already has a connected account for this platform"):
        sdk.invites.create(brand_id=fixture_brand, platform="instagram")
    missing = client.get("/v1/invites")
    assert (missing.status_code, missing.json()["error"]["message"]) == (400, "Missing brand_id")


def test_an_invite_link_redeems_once_and_connects_the_account_to_the_brand(client: httpx.Client, brand: str) -> None:
    invite = client.post("/v1/invites", json={"brand_id": brand, "platform": "instagram", "expires_in_days": 1}).json()
    link = invite["url"].removeprefix("http://mock")
    opened = client.get(link, headers={"Authorization": ""})
    assert opened.status_code == 302
    consent = opened.headers["location"].removeprefix("http://mock")
    assert consent.startswith("/_mock/oauth/consent/")
    client.post(consent, data={"decision": "approve"})
    accounts = client.get("/v1/accounts", params={"brand_id": brand}).json()["data"]
    assert [a["platform"] for a in accounts] == ["instagram"]
    again = client.get(link)
    assert (again.status_code, again.text) == (410, "Invite expired or already used")


def test_an_invite_expires_on_the_fake_clock(client: httpx.Client, brand: str) -> None:
    invite = client.post("/v1/invites", json={"brand_id": brand, "platform": "youtube", "expires_in_days": 1}).json()
    client.post("/_mock/clock/advance", json={"seconds": 86_399})
    assert client.get(f"/v1/invites?brand_id={brand}").json()["data"][0]["is_active"] is True
    client.post("/_mock/clock/advance", json={"seconds": 1})
    assert client.get(f"/v1/invites?brand_id={brand}").json()["data"][0]["is_active"] is False
    expired = client.get(f"/invite/{invite['token']}")
    assert (expired.status_code, expired.text) == (410, "Invite expired or already used")
    assert client.get("/invite/unknown").status_code == 404
