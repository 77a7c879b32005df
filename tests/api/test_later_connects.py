"""Connecting ``linkedin_page`` and ``whatsapp`` (2026-08-22) as connectors/linkedin and
connectors/whatsapp show it."""

from __future__ import annotations

import httpx
import pytest
from socialapi import BadRequestError, SocialAPI
from socialapi.models.accounts import ConnectOAuthResponse

from mockserver import MockServer, Settings
from mockserver.client import TenantHandle
from mockserver.testing import sync_transport
from tests.conftest import AUTH


@pytest.fixture
def settings() -> Settings:
    return Settings(api_version="2026-08-22")


def test_whatsapp_embedded_signup_connects_through_the_exchange(server: MockServer, sdk: SocialAPI) -> None:
    started = sdk.accounts.connect(platform="whatsapp")
    assert isinstance(started, ConnectOAuthResponse)
    assert started.auth_url == "" and len(started.state) == 32
    assert set(started.metadata or {}) == {"app_id", "config_id", "solution_id"}

    # Another tenant's state answers as an unknown one does (no oracle over other tenants' states).
    with TenantHandle.in_process(server, "sapi_key_someone_else") as other, pytest.raises(BadRequestError):
        other.sdk().accounts.exchange_oauth(
            platform="whatsapp",
            code="meta-code",
            metadata={"state": started.state, "waba_id": "1", "phone_number_id": "2"},
        )
    metadata = {"state": started.state, "waba_id": "102290129340398", "phone_number_id": "106540352242922"}
    exchanged = sdk.accounts.exchange_oauth(platform="whatsapp", code="code-from-the-popup", metadata=metadata)
    [account] = exchanged.accounts or []
    assert account.platform == "whatsapp" and account.account_id.startswith("acc_")
    assert account.account_id in {a.id for a in sdk.accounts.list().data}
    with pytest.raises(BadRequestError):
        sdk.accounts.exchange_oauth(platform="whatsapp", code="code-from-the-popup", metadata=metadata)


def test_whatsapp_exchange_needs_the_popups_ids(client: httpx.Client) -> None:
    state = client.post("/v1/accounts/connect", json={"platform": "whatsapp"}).json()["state"]
    missing = client.post(
        "/v1/oauth/exchange", json={"platform": "whatsapp", "code": "c", "metadata": {"state": state, "waba_id": "1"}}
    )
    assert missing.status_code == 400 and missing.json()["error"]["meta"]["field"] == "metadata.phone_number_id"


def test_linkedin_page_connects_through_the_consent_page(client: httpx.Client, handle: TenantHandle) -> None:
    body = {
        "platform": "linkedin_page",
        "redirect_uri": "https://yourapp.com/callback",
        "metadata": {"connection_type": "organization"},
    }
    started = client.post("/v1/accounts/connect", json=body)
    assert started.status_code == 202 and "/_mock/oauth/consent/" in started.json()["auth_url"]
    outcome = handle.approve_connection(started.json()["auth_url"])
    listed = {a["id"]: a for a in client.get("/v1/accounts").json()["data"]}
    assert listed[outcome["account_id"]]["platform"] == "linkedin_page"
    wrong = client.post("/v1/accounts/connect", json={**body, "metadata": {"connection_type": "company"}})
    assert wrong.status_code == 400 and wrong.json()["error"]["meta"]["field"] == "metadata.connection_type"


@pytest.mark.parametrize("platform", ["linkedin_page", "whatsapp"])
def test_in_2026_06_22_they_are_not_connectable(platform: str) -> None:
    older = MockServer(Settings())
    with httpx.Client(transport=sync_transport(older.app), base_url="http://mock", headers=AUTH) as http:
        refused = http.post("/v1/accounts/connect", json={"platform": platform})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "account.unsupported_platform"
