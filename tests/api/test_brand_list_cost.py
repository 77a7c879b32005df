"""``GET /v1/brands`` counts each brand's accounts in one pass over the accounts, not one per brand."""

from __future__ import annotations

from collections.abc import ValuesView
from typing import Any

import httpx

from mockserver import MockServer
from tests.conftest import API_KEY


class CountingAccounts(dict[str, Any]):
    """The tenant's accounts, counting how often something walks all of them."""

    walks = 0

    def values(self) -> ValuesView[Any]:
        CountingAccounts.walks += 1
        return super().values()


def brand_with_a_telegram_account(client: httpx.Client, bot_id: int) -> tuple[str, str]:
    brand = client.post("/v1/brands", json={"name": f"brand {bot_id}"}).json()["id"]
    token = f"{bot_id}:{'s' * 24}"
    answer = client.post(
        "/v1/accounts/connect", json={"platform": "telegram", "brand_id": brand, "metadata": {"bot_token": token}}
    )
    assert answer.status_code == 201
    return brand, str(answer.json()["account_id"])


def test_listing_brands_walks_the_accounts_once_however_many_brands(server: MockServer, client: httpx.Client) -> None:
    made = [brand_with_a_telegram_account(client, 700_000 + n) for n in range(40)]
    own_brands = [brand for brand, _ in made]
    assert client.delete(f"/v1/accounts/{made[-1][1]}").status_code == 204
    backend = server.tenant(API_KEY)
    backend.state.accounts.items = CountingAccounts(backend.state.accounts.items)
    CountingAccounts.walks = 0
    listed = client.get("/v1/brands").json()["data"]
    assert CountingAccounts.walks <= 2
    counts = {brand["id"]: brand["accounts_count"] for brand in listed}
    assert len(counts) >= 41
    assert [counts[b] for b in own_brands].count(1) == 39
    assert [counts[b] for b in own_brands].count(0) == 1
