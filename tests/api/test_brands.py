"""Brands: ``/v1/brands`` through the SDK, and the brand filters of the account and post lists."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from socialapi import AsyncSocialAPI, ConflictError, ForbiddenError, NotFoundError, SocialAPI

from mockserver import MockServer
from tests.conftest import API_KEY, target

FIXTURE_BRAND = "4b0f3c1e-5d2a-4e8b-9a71-2c6d8e0f1a23"


def test_the_fixture_brand_holds_every_fixture_account(sdk: SocialAPI) -> None:
    [brand] = sdk.brands.list()
    assert (brand.id, brand.name) == (FIXTURE_BRAND, "Acme Coffee")
    assert brand.accounts_count == len(sdk.accounts.list().data) == 10


def test_create_rename_and_delete_a_brand(sdk: SocialAPI, client: httpx.Client) -> None:
    brand = sdk.brands.create(name="  Acme Tea ")
    assert brand.name == "Acme Tea" and brand.accounts_count == 0
    assert brand.created_at == brand.updated_at
    client.post("/_mock/clock/advance", json={"seconds": 60})
    renamed = brand.update(name="Acme Tea House")
    assert renamed.name == "Acme Tea House" and renamed.updated_at > renamed.created_at
    assert [b.name for b in sdk.brands.list()] == ["Acme Coffee", "Acme Tea House"]
    sdk.brands.delete(brand.id)
    assert [b.id for b in sdk.brands.list()] == [FIXTURE_BRAND]
    with pytest.raises(NotFoundError) as raised:
        sdk.brands.update(brand.id, name="again")
    assert raised.value.code == "brand.not_found"


def test_a_brand_with_connected_accounts_cannot_be_deleted(client: httpx.Client) -> None:
    response = client.delete(f"/v1/brands/{FIXTURE_BRAND}")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "resource.conflict"
    assert error["meta"] == {"brand_id": FIXTURE_BRAND, "accounts_count": 10}
    assert client.get("/v1/brands").json()["count"] == 1


def test_a_brand_needs_a_name(client: httpx.Client) -> None:
    for body in ({}, {"name": "   "}):
        response = client.post("/v1/brands", json=body)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation.field_required"
        assert response.json()["error"]["meta"]["field"] == "name"
    assert client.get("/v1/brands").json()["count"] == 1


def test_the_free_plan_holds_two_brands(sdk: SocialAPI, client: httpx.Client) -> None:
    client.patch("/_mock/tenant", json={"plan": "free"})
    sdk.brands.create(name="Second")
    with pytest.raises(ForbiddenError) as raised:
        sdk.brands.create(name="Third")
    assert raised.value.code == "billing.brands_limit"
    assert client.get("/v1/usage").json()["brands_used"] == 2


def test_accounts_and_posts_filter_by_brand(sdk: SocialAPI, client: httpx.Client) -> None:
    brand = sdk.brands.create(name="Tea")
    assert sdk.accounts.list(brand_id=brand.id).data == []
    assert len(sdk.accounts.list(brand_id=FIXTURE_BRAND).data) == 10
    post = sdk.publishing.create(text="in the coffee brand", targets=[target("facebook")])
    assert [p["id"] for p in client.get("/v1/posts", params={"brand_id": FIXTURE_BRAND}).json()["data"]] == [post.id]
    assert client.get("/v1/posts", params={"brand_id": brand.id}).json()["data"] == []
    for path in ("/v1/accounts", "/v1/posts"):
        response = client.get(path, params={"brand_id": "b_unknown"})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "brand.not_found"


def test_the_async_sdk_manages_brands(server: MockServer) -> None:
    async def scenario() -> list[str]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server.app), base_url="http://mock") as http:
            api = AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
            brand = await api.brands.create(name="Async")
            renamed = await brand.update(name="Async 2")
            names = [b.name for b in await api.brands.list()]
            await renamed.delete()
            with pytest.raises(ConflictError):
                await api.brands.delete(FIXTURE_BRAND)
            return names + [b.name for b in await api.brands.list()]

    assert asyncio.run(scenario()) == ["Acme Coffee", "Async 2", "Acme Coffee"]
