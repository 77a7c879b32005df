"""The 2026-08-22 connection flow with a pending selection (guides/oauth, connectors/facebook).

Bodies and statuses are the documents' own examples; the fixture logins (fixtures/oauth.yaml) are
the Facebook login of the guide's example (three Pages) and the Google login with two Profiles.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pydantic
import pytest
from socialapi import SocialAPI

from mockserver import MockServer, Settings
from mockserver.client import TenantHandle
from tests.conftest import API_KEY

FACEBOOK_LOGIN = "cred_01J8X3Q4R5M6N7P8V2K0W1J"
GOOGLE_LOGIN = "cred_01J8X3Q4R5M6N7P8V2K0G00"
FRANCHISE_LOGIN = "cred_01J8X3Q4R5M6N7P8V2K0F06"
BAKERY, CAFE, CATERING = "17841400000000000", "17841400000000111", "17841400000000222"
DOWNTOWN, UPTOWN = "accounts/123/locations/456", "accounts/123/locations/789"
REDIRECT = "https://app.example.com/oauth/callback"
PENDING_PAGE_KEYS = {
    "platform_page_id",
    "name",
    "category",
    "picture_url",
    "assigned_brand_id",
    "assigned_brand_name",
    "assigned_account_id",
    "assignable",
}


@pytest.fixture
def settings() -> Settings:
    return Settings(api_version="2026-08-22")


PAGE_CAP_MESSAGE = "Each brand can connect up to 5 Facebook Pages. Disconnect one or connect the rest to another brand."


def active_pages(client: httpx.Client, account_id: str) -> dict[str, bool]:
    return {
        p["platform_page_id"]: p["is_active"] for p in client.get(f"/v1/accounts/{account_id}/pages").json()["data"]
    }


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def approve(client: httpx.Client, handle: TenantHandle, platform: str, login: str, **kwargs: object) -> dict[str, str]:
    """Connect ``platform`` and approve ``login`` on the consent page; the approval's answer."""
    body = {"platform": platform, "redirect_uri": REDIRECT, "state": "session_abc123", **kwargs}
    started = client.post("/v1/accounts/connect", json=body).json()
    outcome = handle.approve_connection(started["auth_url"], profile=login)
    return {**outcome, "connect_state": started["state"]}


def test_facebook_exchange_answers_the_documented_selection_then_select_connects(
    client: httpx.Client, handle: TenantHandle
) -> None:
    outcome = approve(client, handle, "facebook", FACEBOOK_LOGIN)
    assert outcome["status"] == "selection_required"
    redirect = query(outcome["redirect_url"])
    assert redirect["status"] == "selection_required" and redirect["state"] == "session_abc123"
    assert redirect["connection_id"] == outcome["connection_id"]

    exchanged = client.post(
        "/v1/oauth/exchange",
        json={"platform": "facebook", "code": redirect["code"], "metadata": {"state": outcome["connect_state"]}},
    )
    assert exchanged.status_code == 200
    body = exchanged.json()
    assert list(body) == ["status", "connection_id", "platform", "login_id", "pages", "lost_access"]
    assert body["status"] == "selection_required" and body["platform"] == "facebook"
    assert body["connection_id"].startswith("pc_") and len(body["connection_id"]) == 35
    assert body["login_id"] == FACEBOOK_LOGIN and body["lost_access"] == []
    assert [p["platform_page_id"] for p in body["pages"]] == [BAKERY, CAFE, CATERING]
    assert set(body["pages"][0]) == PENDING_PAGE_KEYS
    assert body["pages"][0]["name"] == "Acme Bakery" and body["pages"][0]["assigned_brand_id"] == ""
    assert all(p["assignable"] for p in body["pages"])

    pending = client.get(f"/v1/accounts/pending/{body['connection_id']}")
    assert pending.status_code == 200
    detail = pending.json()
    assert "status" not in detail and detail["expires_at"] == "2026-01-01T00:30:00Z"
    assert detail["pages"] == body["pages"]

    selected = client.post(f"/v1/accounts/pending/{body['connection_id']}/select", json={"page_ids": [BAKERY]})
    assert selected.status_code == 201
    account = selected.json()
    assert set(account) == {"account_id", "platform", "username", "display_name"} and account["platform"] == "facebook"
    pages = client.get(f"/v1/accounts/{account['account_id']}/pages").json()["data"]
    assert [(p["platform_page_id"], p["name"]) for p in pages] == [(BAKERY, "Acme Bakery")]

    again = client.post(f"/v1/accounts/pending/{body['connection_id']}/select", json={"page_ids": [CAFE]})
    assert again.status_code == 404


def test_google_login_with_several_profiles_goes_through_the_sdk_and_raw_http(
    client: httpx.Client, sdk: SocialAPI, handle: TenantHandle
) -> None:
    started = sdk.accounts.connect(platform="google", redirect_uri=REDIRECT)
    outcome = handle.approve_connection(started.auth_url, profile=GOOGLE_LOGIN)
    redirect = query(outcome["redirect_url"])
    # The SDK 0.4 cannot parse the 200 selection_required body (it wants account_id and username).
    with pytest.raises(pydantic.ValidationError):
        sdk.accounts.exchange_oauth(platform="google", code=redirect["code"], metadata={"state": started.state})

    pending = client.get(f"/v1/accounts/pending/{redirect['connection_id']}").json()
    assert pending["platform"] == "google" and "login_id" not in pending
    assert pending["profiles"][0] == {
        "platform_account_id": DOWNTOWN,
        "display_name": "Joe's Pizza (Downtown)",
        "username": "",
        "profile_picture_url": "",
        "bio": "Wood-fired pizza since 1998",
    }
    assert [p["platform_account_id"] for p in pending["profiles"]] == [DOWNTOWN, UPTOWN]
    outside = client.post(
        f"/v1/accounts/pending/{redirect['connection_id']}/select",
        json={"platform_account_id": "accounts/9/locations/1"},
    )
    assert outside.status_code == 400
    selected = client.post(
        f"/v1/accounts/pending/{redirect['connection_id']}/select", json={"platform_account_id": DOWNTOWN}
    )
    assert selected.status_code == 201
    listed = {a.id: a for a in sdk.accounts.list().data}
    assert listed[selected.json()["account_id"]].name == "Joe's Pizza (Downtown)"


def test_a_single_profile_google_login_still_connects_through_sdk_exchange(
    sdk: SocialAPI, handle: TenantHandle
) -> None:
    started = sdk.accounts.connect(platform="google", redirect_uri=REDIRECT)
    outcome = handle.approve_connection(started.auth_url)
    assert outcome["status"] == "success"
    exchanged = sdk.accounts.exchange_oauth(platform="google", code=outcome["code"], metadata={"state": started.state})
    [account] = exchanged.accounts or []
    assert account.account_id == outcome["account_id"]


def test_a_pending_selection_expires_after_30_minutes_of_fake_time(client: httpx.Client, handle: TenantHandle) -> None:
    outcome = approve(client, handle, "facebook", FACEBOOK_LOGIN)
    handle.advance(seconds=29 * 60)
    assert client.get(f"/v1/accounts/pending/{outcome['connection_id']}").status_code == 200
    handle.advance(seconds=60)
    gone = client.post(f"/v1/accounts/pending/{outcome['connection_id']}/select", json={"page_ids": [BAKERY]})
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "resource.not_found"


def test_control_route_selects_at_once_and_the_handle_connects_facebook(
    client: httpx.Client, handle: TenantHandle
) -> None:
    started = client.post("/v1/accounts/connect", json={"platform": "facebook"}).json()
    outcome = handle.approve_connection(started["auth_url"], profile=FACEBOOK_LOGIN, page_ids=[BAKERY, CAFE])
    assert outcome["status"] == "success" and outcome["connection_id"].startswith("pc_")
    pages = client.get(f"/v1/accounts/{outcome['account_id']}/pages").json()["data"]
    assert [p["platform_page_id"] for p in pages] == [BAKERY, CAFE]

    fresh = handle.connect_account("facebook")
    assert fresh["platform"] == "facebook" and fresh["page_name"] == "Mock Facebook Creator Page"


def test_login_pages_and_assignment_follow_the_connector_page(client: httpx.Client, handle: TenantHandle) -> None:
    first = approve(client, handle, "facebook", FACEBOOK_LOGIN)
    client.post(f"/v1/accounts/pending/{first['connection_id']}/select", json={"page_ids": [BAKERY]})
    listed = client.get(f"/v1/platforms/facebook/logins/{FACEBOOK_LOGIN}/pages")
    assert listed.status_code == 200
    body = listed.json()
    assert body["login_id"] == FACEBOOK_LOGIN and body["count"] == 3
    owned = body["pages"][0]
    assert owned["assigned_brand_id"] != "" and owned["assignable"] is False

    brand = client.post("/v1/brands", json={"name": "Acme Cafe LLC"}).json()["id"]
    path = f"/v1/platforms/facebook/logins/{FACEBOOK_LOGIN}/pages"
    assigned = client.post(f"{path}/{CAFE}/assign", json={"brand_id": brand})
    assert assigned.status_code == 201
    assert assigned.json()["brand_id"] == brand and assigned.json()["platform_page_id"] == CAFE
    assert set(assigned.json()) == {"account_id", "brand_id", "platform_page_id"}
    assert client.post(f"{path}/{CATERING}/assign", json={"brand_id": "b_unknown"}).status_code == 404
    assert client.get("/v1/platforms/facebook/logins/cred_unknown0000/pages").status_code == 404

    # A brand whose Facebook goes through another login refuses this login's Pages.
    elsewhere = client.post("/v1/brands", json={"name": "Elsewhere"}).json()["id"]
    handle.connect_account("facebook", brand_id=elsewhere)
    refused = client.post(f"{path}/{CATERING}/assign", json={"brand_id": elsewhere})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "account.different_login"


def test_a_sixth_page_on_a_brand_is_refused_with_page_cap(client: httpx.Client, handle: TenantHandle) -> None:
    pages = [f"178414000000100{n:02d}" for n in range(1, 7)]
    outcome = approve(client, handle, "facebook", FRANCHISE_LOGIN)
    select = f"/v1/accounts/pending/{outcome['connection_id']}/select"
    capped = client.post(select, json={"page_ids": pages})
    assert capped.status_code == 403
    assert capped.json()["error"] == {
        "code": "platform.facebook.page_cap",
        "message": PAGE_CAP_MESSAGE,
        "meta": capped.json()["error"]["meta"],
    }
    account_id = client.post(select, json={"page_ids": pages[:5]}).json()["account_id"]
    brand = next(a["brand_id"] for a in client.get("/v1/accounts").json()["data"] if a["id"] == account_id)
    sixth = client.post(
        f"/v1/platforms/facebook/logins/{FRANCHISE_LOGIN}/pages/{pages[5]}/assign", json={"brand_id": brand}
    )
    assert sixth.status_code == 403 and sixth.json()["error"]["code"] == "platform.facebook.page_cap"


def test_reconnecting_without_a_page_reports_lost_access_and_regranting_restores_it(
    client: httpx.Client, handle: TenantHandle
) -> None:
    first = approve(client, handle, "facebook", FACEBOOK_LOGIN)
    account_id = client.post(
        f"/v1/accounts/pending/{first['connection_id']}/select", json={"page_ids": [BAKERY, CAFE]}
    ).json()["account_id"]
    brand_id = next(a["brand_id"] for a in client.get("/v1/accounts").json()["data"] if a["id"] == account_id)
    client.patch(f"/v1/brands/{brand_id}", json={"name": "Acme Cafe LLC"})

    started = client.post("/v1/accounts/connect", json={"platform": "facebook"}).json()
    second = handle.approve_connection(started["auth_url"], profile=FACEBOOK_LOGIN, grant=[BAKERY, CATERING])
    lost = client.get(f"/v1/accounts/pending/{second['connection_id']}").json()["lost_access"]
    assert lost == [
        {"platform_page_id": CAFE, "name": "Acme Cafe", "brand_id": brand_id, "brand_name": "Acme Cafe LLC"}
    ]
    pages = {
        p["platform_page_id"]: p["is_active"] for p in client.get(f"/v1/accounts/{account_id}/pages").json()["data"]
    }
    assert pages == {BAKERY: True, CAFE: False}

    started = client.post("/v1/accounts/connect", json={"platform": "facebook"}).json()
    third = handle.approve_connection(started["auth_url"], profile=FACEBOOK_LOGIN)
    assert client.get(f"/v1/accounts/pending/{third['connection_id']}").json()["lost_access"] == []
    pages = {
        p["platform_page_id"]: p["is_active"] for p in client.get(f"/v1/accounts/{account_id}/pages").json()["data"]
    }
    assert pages == {BAKERY: True, CAFE: True}


def test_in_2026_06_22_the_same_login_connects_at_once(server: MockServer) -> None:
    with TenantHandle.in_process(MockServer(Settings()), API_KEY) as older:
        started = older.http.post("/v1/accounts/connect", json={"platform": "facebook"}).json()
        outcome = older.approve_connection(started["auth_url"], profile=FACEBOOK_LOGIN)
    assert outcome["status"] == "success" and "connection_id" not in outcome


def test_the_consent_page_offers_the_logins_pages_and_redirects_with_the_selection(client: httpx.Client) -> None:
    started = client.post("/v1/accounts/connect", json={"platform": "facebook", "redirect_uri": REDIRECT}).json()
    path = urlsplit(started["auth_url"]).path
    html = client.get(path).text
    assert 'name="grant" value="17841400000000111" checked' in html and "Acme Owner" in html
    form = {"decision": "approve", "profile": "10231000000000001", "grants_shown": "1", "grant": [BAKERY]}
    answered = client.post(path, data=form)
    assert answered.status_code == 302
    redirect = query(answered.headers["location"])
    assert redirect["status"] == "selection_required"
    pending = client.get(f"/v1/accounts/pending/{redirect['connection_id']}").json()
    assert [p["platform_page_id"] for p in pending["pages"]] == [BAKERY]


def test_the_facebook_fixture_login_through_the_sdk(client: httpx.Client, sdk: SocialAPI, handle: TenantHandle) -> None:
    started = sdk.accounts.connect(platform="facebook", redirect_uri=REDIRECT, state="session_abc123")
    outcome = handle.approve_connection(started.auth_url, profile=FACEBOOK_LOGIN)
    redirect = query(outcome["redirect_url"])
    assert (redirect["status"], redirect["state"]) == ("selection_required", "session_abc123")
    # The SDK 0.4 cannot read the 200 selection_required body; the redirect carries the connection_id.
    with pytest.raises(pydantic.ValidationError):
        sdk.accounts.exchange_oauth(platform="facebook", code=redirect["code"], metadata={"state": started.state})
    select = f"/v1/accounts/pending/{redirect['connection_id']}/select"
    account_id = client.post(select, json={"page_ids": [BAKERY, CATERING]}).json()["account_id"]
    account = next(a for a in sdk.accounts.list().data if a.id == account_id)
    assert account.platform == "facebook" and account.username == "acme.owner"
    assert [p.platform_page_id for p in sdk.accounts.list_pages(account_id)] == [BAKERY, CATERING]


def test_a_selection_given_where_there_is_none_is_refused_and_the_link_kept(
    client: httpx.Client, handle: TenantHandle
) -> None:
    started = client.post("/v1/accounts/connect", json={"platform": "instagram"}).json()
    refused = client.post("/_mock/oauth/approve", json={"auth_url": started["auth_url"], "page_ids": [BAKERY]})
    assert refused.status_code == 400 and refused.json()["error"]["meta"]["field"] == "page_ids"
    assert handle.approve_connection(started["auth_url"])["status"] == "success"
