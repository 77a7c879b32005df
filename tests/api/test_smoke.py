from __future__ import annotations

import httpx
from socialapi import SocialAPI

from tests.conftest import ACCOUNTS


def test_sdk_lists_accounts(sdk: SocialAPI) -> None:
    page = sdk.accounts.list()
    assert {a.platform for a in page.data} >= set(ACCOUNTS)


def test_unknown_route_is_an_envelope(client: httpx.Client) -> None:
    response = client.get("/v1/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "http.404"
