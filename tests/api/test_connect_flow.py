"""The connection flow end to end: connect, the consent page, the redirect, the exchange, publishing."""

from __future__ import annotations

import asyncio
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from socialapi import AsyncSocialAPI, BadRequestError, ForbiddenError, SocialAPI
from socialapi.models.accounts import ConnectAccountResponse, ConnectOAuthResponse

from mockserver import MockServer
from mockserver.client import TenantHandle
from tests.conftest import ACCOUNTS, API_KEY, IMAGE

REDIRECT = "https://app.example.com/connected"


class ConsentForm(HTMLParser):
    """The form of the consent page as a browser sees it: action, radio choices, submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.profiles: list[str] = []
        self.checked = ""
        self.decisions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a["action"] or ""
        elif tag == "input" and a.get("type") == "radio" and a.get("name") == "profile":
            self.profiles.append(a["value"] or "")
            if "checked" in a:
                self.checked = a["value"] or ""
        elif tag == "button" and a.get("name") == "decision":
            self.decisions.append(a["value"] or "")


def consent_form(html: str) -> ConsentForm:
    form = ConsentForm()
    form.feed(html)
    return form


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def start(sdk: SocialAPI, platform: str = "instagram", **kwargs: object) -> ConnectOAuthResponse:
    started = sdk.accounts.connect(platform=platform, **kwargs)  # type: ignore[arg-type]
    assert isinstance(started, ConnectOAuthResponse)
    return started


def test_connect_consent_redirect_exchange_then_publish(sdk: SocialAPI, client: httpx.Client) -> None:
    [brand] = sdk.brands.list()
    started = start(sdk, brand_id=brand.id, redirect_uri=REDIRECT, state="my-csrf-token")
    assert started.message and re.fullmatch(r"[0-9a-f]{32}", started.state)

    page = client.get(started.auth_url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Instagram" in page.text and "Acme Coffee" in page.text
    form = consent_form(page.text)
    assert form.decisions == ["approve", "deny"] and len(form.profiles) >= 2
    chosen = form.profiles[1]
    answer = client.post(form.action, data={"profile": chosen, "decision": "approve"})

    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(REDIRECT + "?")
    params = query(location)
    assert params["status"] == "success" and params["platform"] == "instagram"
    assert params["state"] == "my-csrf-token"
    exchanged = sdk.accounts.exchange_oauth(
        platform="instagram", code=params["code"], metadata={"state": started.state, "redirect_uri": REDIRECT}
    )
    [account] = exchanged.accounts or []
    assert account.account_id == params["account_id"] and account.platform == "instagram"
    listed = {a.id: a for a in sdk.accounts.list().data}
    assert listed[account.account_id].status == "active" and listed[account.account_id].brand_id == brand.id

    post = sdk.publishing.create(
        text="first post from a fresh connection",
        media_ids=[IMAGE],
        targets=[{"account_id": account.account_id, "platform_data": {"content_type": "feed"}}],
        publish_now=True,
    )
    assert post.status == "published"


def test_deny_sends_the_user_back_with_the_error(sdk: SocialAPI, client: httpx.Client) -> None:
    started = start(sdk, redirect_uri=REDIRECT, state="s1")
    answer = client.post(consent_form(client.get(started.auth_url).text).action, data={"decision": "deny"})
    assert answer.status_code == 302
    params = query(answer.headers["location"])
    assert params == {
        "status": "error",
        "error": "access_denied",
        "error_description": "The user denied the authorization request.",
        "platform": "instagram",
        "state": "s1",
    }
    assert len(sdk.accounts.list().data) == 10


def test_without_a_redirect_uri_the_mock_shows_its_own_result_page(sdk: SocialAPI, client: httpx.Client) -> None:
    started = start(sdk, platform="youtube")
    done = client.post(consent_form(client.get(started.auth_url).text).action, data={"decision": "approve"})
    assert done.status_code == 200 and "YouTube account connected" in done.text
    denied = start(sdk, platform="youtube")
    page = client.post(consent_form(client.get(denied.auth_url).text).action, data={"decision": "deny"})
    assert page.status_code == 200 and "access_denied" in page.text
    assert "state=" not in page.text


def test_a_consent_link_is_single_use_and_lasts_ten_minutes(sdk: SocialAPI, client: httpx.Client) -> None:
    started = start(sdk, redirect_uri=REDIRECT)
    action = consent_form(client.get(started.auth_url).text).action
    assert client.post(action, data={"decision": "approve"}).status_code == 302
    again = client.get(started.auth_url)
    assert again.status_code == 404 and "not valid" in again.text
    assert client.post(action, data={"decision": "approve"}).status_code == 404

    late = start(sdk, redirect_uri=REDIRECT, state="late")
    client.post("/_mock/clock/advance", json={"seconds": 600})
    page = client.get(late.auth_url)
    assert "expired" in page.text
    answer = client.post(consent_form(page.text).action, data={"decision": "approve"})
    assert query(answer.headers["location"])["error"] == "link_expired"


def test_a_form_without_a_decision_shows_the_page_again(sdk: SocialAPI, client: httpx.Client) -> None:
    started = start(sdk)
    action = consent_form(client.get(started.auth_url).text).action
    for data in ({}, {"decision": "maybe"}, {"decision": "approve", "profile": "nobody"}):
        answer = client.post(action, data=data)
        assert answer.status_code == 400 and consent_form(answer.text).decisions == ["approve", "deny"]
    assert client.post(action, data={"decision": "approve"}).status_code == 200


def test_a_code_is_single_use_expires_and_belongs_to_its_key(server: MockServer, sdk: SocialAPI) -> None:
    handle = TenantHandle.in_process(server, API_KEY)
    other = TenantHandle.in_process(server, "sapi_key_someone_else").sdk()

    def code() -> str:
        started = start(sdk, redirect_uri=REDIRECT)
        return query(handle.approve_connection(started.auth_url)["redirect_url"])["code"]

    first = code()
    sdk.accounts.exchange_oauth(platform="instagram", code=first, metadata={})
    with pytest.raises(BadRequestError):
        sdk.accounts.exchange_oauth(platform="instagram", code=first, metadata={})
    with pytest.raises(BadRequestError) as wrong_platform:
        sdk.accounts.exchange_oauth(platform="tiktok", code=code(), metadata={})
    assert wrong_platform.value.code == "validation.field_invalid"
    stolen, unknown = code(), "0" * 40
    with pytest.raises(BadRequestError) as foreign:
        other.accounts.exchange_oauth(platform="instagram", code=stolen, metadata={})
    with pytest.raises(BadRequestError) as never_issued:
        other.accounts.exchange_oauth(platform="instagram", code=unknown, metadata={})
    # No oracle: another key's code is answered exactly as a code that was never issued.
    assert (foreign.value.code, str(foreign.value)) == (never_issued.value.code, str(never_issued.value))
    sdk.accounts.exchange_oauth(platform="instagram", code=stolen, metadata={})
    late = code()
    handle.advance(seconds=600)
    with pytest.raises(BadRequestError):
        sdk.accounts.exchange_oauth(platform="instagram", code=late, metadata={})
    handle.close()


def test_redirect_uris_are_open_until_one_is_registered(server: MockServer, client: httpx.Client) -> None:
    handle = TenantHandle.in_process(server, API_KEY)

    def connect(uri: str) -> httpx.Response:
        return client.post("/v1/accounts/connect", json={"platform": "threads", "redirect_uri": uri})

    for bad in ("http://app.example.com/cb", "ftp://x/y", "not a url"):
        response = connect(bad)
        assert response.status_code == 400 and response.json()["error"]["meta"]["field"] == "redirect_uri"
    for fine in ("https://anything.example/cb", "http://localhost:3000/cb", "http://127.0.0.1/cb"):
        assert connect(fine).status_code == 202
    handle.set_redirect_uris([REDIRECT, {"uri": "http://localhost:3000/cb", "label": "dev"}])
    refused = connect("https://anything.example/cb")
    assert refused.status_code == 400 and "not a registered redirect URI" in refused.json()["error"]["message"]
    assert connect(REDIRECT).status_code == 202
    # The older shape, redirect_uri inside metadata, is held to the same rule.
    old = client.post(
        "/v1/accounts/connect", json={"platform": "threads", "metadata": {"redirect_uri": "https://x.io"}}
    )
    assert old.status_code == 400 and old.json()["error"]["meta"]["field"] == "metadata.redirect_uri"
    duplicate = client.put("/_mock/oauth/redirect-uris", json={"data": [{"uri": REDIRECT}, {"uri": REDIRECT}]})
    assert duplicate.json()["error"]["code"] == "validation.redirect_uri_duplicate"
    assert len(handle.set_redirect_uris([])) == 0
    assert connect("https://anything.example/cb").status_code == 202
    handle.close()


def test_redirect_uri_routes_answer_an_api_key_with_403(sdk: SocialAPI, client: httpx.Client) -> None:
    for call in (
        sdk.oauth.list_redirect_uris,
        lambda: sdk.oauth.create_redirect_uri(uri=REDIRECT),
        lambda: sdk.oauth.delete_redirect_uri("sapi_ruri_1"),
    ):
        with pytest.raises(ForbiddenError) as raised:
            call()
        assert raised.value.code == "auth.dashboard_only"
    assert client.get("/_mock/oauth/redirect-uris").json() == {"data": [], "count": 0}


def test_connecting_the_same_login_again_refreshes_the_account(server: MockServer, sdk: SocialAPI) -> None:
    handle = TenantHandle.in_process(server, API_KEY)
    handle.expire_account(ACCOUNTS["instagram"], "token revoked")
    refreshed = handle.connect_account("instagram", profile="acmecoffee")
    assert refreshed["id"] == ACCOUNTS["instagram"] and refreshed["status"] == "active"
    assert "reconnect_reason" not in refreshed
    fresh = handle.connect_account("instagram")
    again = handle.connect_account("instagram", profile=fresh["username"])
    assert again["id"] == fresh["id"]
    assert len(sdk.accounts.list().data) == 11
    connected = [e["data"] for e in handle.events if e["event"] == "account.connected"]
    assert [c["account_id"] for c in connected] == [ACCOUNTS["instagram"], fresh["id"], fresh["id"]]
    assert connected[0]["profile_url"] == "https://www.instagram.com/acmecoffee"
    handle.close()


def test_without_brand_id_a_brand_is_created(sdk: SocialAPI, server: MockServer) -> None:
    handle = TenantHandle.in_process(server, API_KEY)
    account = handle.connect_account("linkedin")
    brands = {b.id: b for b in sdk.brands.list()}
    assert len(brands) == 2
    assert brands[account["brand_id"]].name == "Untitled brand" and brands[account["brand_id"]].accounts_count == 1
    [page] = sdk.accounts.list_pages(account["id"])
    assert page.is_default and page.is_active
    handle.close()


def test_x_needs_byok_credentials(server: MockServer, client: httpx.Client) -> None:
    refused = client.post("/v1/accounts/connect", json={"platform": "twitter"})
    assert refused.status_code == 412 and refused.json()["error"]["code"] == "byok.credentials_missing"
    handle = TenantHandle.in_process(server, API_KEY)
    assert handle.set_byok(["twitter"]) == ["twitter"]
    assert handle.connect_account("twitter")["platform"] == "twitter"
    handle.close()


def test_direct_auth_platforms_connect_at_once(sdk: SocialAPI, client: httpx.Client) -> None:
    bot = sdk.accounts.connect(platform="telegram", metadata={"bot_token": "123456789:AAEhBP0av28hGmAasPdkGf4d"})
    assert isinstance(bot, ConnectAccountResponse) and bot.platform == "telegram"
    sky = client.post(
        "/v1/accounts/connect",
        json={"platform": "bluesky", "metadata": {"identifier": "acme.bsky.social", "app_password": "abcd-efgh"}},
    )
    assert sky.status_code == 201 and sky.json()["username"] == "acme.bsky.social"
    missing = client.post("/v1/accounts/connect", json={"platform": "telegram"})
    assert missing.status_code == 400 and missing.json()["error"]["meta"]["field"] == "metadata.bot_token"
    refused = client.post("/v1/posts", json={"text": "hi", "targets": [{"account_id": bot.account_id}]})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "account.unsupported_platform"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({}, "validation.field_required", "platform"),
        ({"platform": "myspace"}, "account.unsupported_platform", "platform"),
        ({"platform": "instagram", "brand_id": "nope"}, "validation.brand_invalid", "brand_id"),
        ({"platform": "instagram", "state": "x" * 513}, "validation.field_invalid", "state"),
    ],
)
def test_connect_refuses_bad_requests(client: httpx.Client, body: dict[str, object], code: str, field: str) -> None:
    response = client.post("/v1/accounts/connect", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code and response.json()["error"]["meta"]["field"] == field
    assert client.get("/v1/brands").json()["count"] == 1


def test_the_async_sdk_connects_and_exchanges(server: MockServer) -> None:
    handle = TenantHandle.in_process(server, API_KEY)

    async def scenario() -> str:
        api: AsyncSocialAPI = handle.async_sdk()
        started = await api.accounts.connect(platform="pinterest", redirect_uri=REDIRECT)
        assert isinstance(started, ConnectOAuthResponse)
        code = query(handle.approve_connection(started.auth_url)["redirect_url"])["code"]
        exchanged = await api.accounts.exchange_oauth(platform="pinterest", code=code, metadata={})
        [account] = exchanged.accounts or []
        boards = await api.accounts.list_boards(account.account_id)
        return boards[0].name

    assert asyncio.run(scenario()) == "Mock Board"
    handle.close()


def test_the_served_document_lists_the_account_side_and_the_consent_page(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/accounts/connect",
        "/v1/oauth/exchange",
        "/v1/accounts/{account_id}/pages/{page_id}",
        "/v1/brands/{brand_id}",
        "/v1/oauth/redirect-uris",
        "/_mock/oauth/approve",
        "/_mock/accounts/{account_id}/expire",
    ):
        assert path in paths
    consent = paths["/_mock/oauth/consent/{state}"]
    assert consent["get"]["security"] == [] and "302" in consent["post"]["responses"]
