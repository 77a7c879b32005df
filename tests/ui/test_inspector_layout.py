"""The page from a phone up: nothing leaves the viewport, details open where the tap was; and polish."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from mockserver.serve import ThreadedServer
from tests.conftest import ACCOUNTS, IMAGE, target
from tests.ui.inspector_page import TABS, open_inspector, overflowing, post_row

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1440, "height": 900}


def fill(http: httpx.Client) -> str:
    """A tenant with something in every panel, long words included; returns a partial post's id."""
    hook = {"url": "http://127.0.0.1:9/hooks/a-rather-long-path/for/the-webhook-endpoint", "events": ["post.partial"]}
    assert http.post("/v1/webhooks", json=hook).status_code == 201
    http.put("/_mock/scenarios", json={"name": "facebook-down"})
    http.put("/_mock/scenarios", json={"name": "instagram-throttled"})
    http.post("/v1/posts", json={"text": "typo", "schedule_at": "2026-01-02T09:00:00Z"})
    http.post(
        "/v1/posts",
        json={
            "text": "Soon " + "x" * 120,
            "scheduled_at": "2026-01-02T09:00:00Z",
            "targets": [target("linkedin"), target("threads")],
        },
    )
    partial = http.post(
        "/v1/posts",
        json={
            "text": "A long post without spaces: " + "https://acme.example/" + "a" * 200,
            "media_ids": [IMAGE],
            "first_comment": "first " * 30,
            "publish_now": True,
            "targets": [
                target("instagram", platform_data={"content_type": "feed"}),
                target("facebook"),
                target("linkedin"),
            ],
        },
    ).json()
    http.post("/_mock/webhooks/flush")
    long_word = "https://acme.example/" + "c" * 200
    arrivals = [
        {"kind": "comment", "post_id": partial["id"], "text": f"Where? {long_word}", "author_name": "M" * 60},
        {"kind": "dm", "account_id": ACCOUNTS["instagram"], "text": f"Order {long_word}", "author_name": "D" * 60},
        {"kind": "review", "account_id": ACCOUNTS["google"], "text": f"Great {long_word}", "rating": 4},
        {"kind": "mention", "account_id": ACCOUNTS["instagram"], "text": f"Thanks {long_word}"},
    ]
    for arrival in arrivals:
        assert http.post("/_mock/inbox/arrivals", json=arrival).status_code == 201
    return str(partial["id"])


# What each tab shows once it has drawn the tenant's data.
DRAWN = {
    "posts": "#posts-rows tr[data-post-id]",
    "timeline": "#timeline-body li",
    "scenarios": "#scenarios-active article",
    "requests": "#requests-rows tr[data-request-id]",
    "events": "#events-body li",
    "inbox": "#inbox-threads article .comment",
    "tenant": "#plan-facts div",
}


@pytest.fixture(params=[SMALL_PHONE, PHONE, DESKTOP], ids=["360px", "390px", "1440px"])
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=request.param)
    page = context.new_page()
    page.set_default_timeout(5000)
    yield page
    context.close()


def test_no_element_leaves_the_viewport_on_any_tab(
    sized: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    partial = fill(http)
    open_inspector(sized, live, key)
    width = sized.viewport_size["width"] if sized.viewport_size else 0
    for tab in TABS:
        sized.goto(f"{live.url}/_mock/ui?key={key}#{tab}")
        expect(sized.locator(DRAWN[tab]).first).to_be_visible()
        assert overflowing(sized) == [], tab
        assert sized.evaluate("document.documentElement.scrollWidth") <= width, tab
    # The opened parts too: a post's details with its previews, a request's bodies, a delivery.
    sized.goto(f"{live.url}/_mock/ui?key={key}#posts/{partial}")
    expect(sized.locator("#post-body article.feed").first).to_be_visible()
    assert overflowing(sized) == [], "a post"
    sized.goto(f"{live.url}/_mock/ui?key={key}#requests")
    sized.locator("#requests-rows tr", has_text="/v1/posts").first.get_by_role("button").click()
    expect(sized.locator("#request-detail pre").first).to_be_visible()
    assert overflowing(sized) == [], "a request"
    sized.goto(f"{live.url}/_mock/ui?key={key}#events")
    sized.locator("#webhooks-body [data-delivery-id] button").first.click()
    expect(sized.locator("#webhooks-body pre").first).to_be_visible()
    assert overflowing(sized) == [], "a webhook delivery"


def test_on_a_phone_switch_off_sits_inside_its_scenario_card(
    browser: Browser, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    http.put("/_mock/scenarios", json={"name": "facebook-down"})
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        open_inspector(page, live, key, "scenarios")
        card = page.locator("#scenarios-active article", has_text="facebook-down")
        button = card.get_by_role("button", name="Switch off facebook-down")
        outer, inner = card.bounding_box(), button.bounding_box()
        assert outer and inner
        assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        assert outer["y"] <= inner["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
        button.click()
        expect(page.locator("#scenarios-active")).to_contain_text("No scenario is active")
    finally:
        context.close()


def test_on_a_phone_a_tapped_post_opens_where_the_list_is_not_below_it(
    browser: Browser, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    for number in range(20):
        http.post("/v1/posts", json={"text": f"Post number {number:02}", "targets": [target("linkedin")]})
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        open_inspector(page, live, key)
        row = post_row(page, "Post number 00")  # the oldest: the last row of the page
        row.get_by_role("link").click()
        details = page.locator("#post-body")
        expect(details).to_contain_text("Post number 00")
        expect(page.locator("#post-title")).to_be_in_viewport()
        post_box, list_box = page.locator("#post").bounding_box(), page.locator("#posts-rows").bounding_box()
        assert post_box and list_box and post_box["y"] < list_box["y"]
        page.get_by_role("link", name="back to the list").click()
        expect(page.locator("#post-body")).to_contain_text("Pick a post")
    finally:
        context.close()


def test_scenario_descriptions_show_markdown_code_as_code_and_never_as_html(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    mine = {
        "name": "marked-up",
        "description": "Answers `429` to <b>everyone</b> and `<img src=x onerror=window.__xss=1>`",
        "deliveries": [{"match": {"platform": "threads"}, "latency_ms": 1}],
    }
    assert http.put("/_mock/scenarios", json=mine).status_code == 200
    open_inspector(page, live, key, "scenarios")
    card = page.locator("#scenarios-active article", has_text="marked-up")
    expect(card.locator("code")).to_have_text(["429", "<img src=x onerror=window.__xss=1>"])
    expect(card.locator(".description")).to_have_text(
        "Answers 429 to <b>everyone</b> and <img src=x onerror=window.__xss=1>"
    )
    bundled = page.locator("#scenarios-library li", has_text="facebook-down")
    expect(bundled.locator("code").first).to_be_visible()
    assert "`" not in bundled.inner_text()
    assert page.locator("#panel-scenarios img, #panel-scenarios b").count() == 0
    assert page.evaluate("window.__xss") is None


def test_requests_show_an_injected_delay_column_only_when_a_delay_was_injected_and_no_tenant_column(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    http.post("/v1/posts", json={"text": "quick"}, headers={"X-Request-ID": "quick-1"})
    open_inspector(page, live, key, "requests")
    head = page.locator("#requests-head th")
    expect(head).to_have_text(["Time", "Method", "Path", "Status", "Request id"])
    slow = {
        "name": "slow",
        "description": "slow LinkedIn",
        "deliveries": [{"match": {"platform": "linkedin"}, "latency_ms": 25}],
    }
    http.put("/_mock/scenarios", json=slow)
    http.post(
        "/v1/posts",
        json={"text": "slow", "publish_now": True, "targets": [target("linkedin")]},
        headers={"X-Request-ID": "slow-1"},
    )
    expect(head).to_have_text(["Time", "Method", "Path", "Status", "Injected delay", "Request id"])
    expect(page.locator("#requests-rows tr", has_text="slow-1").locator(".delay")).to_have_text("25 ms")
    expect(page.locator("#requests-rows tr", has_text="quick-1").locator(".delay")).to_have_text("")
    assert key not in page.locator("#requests-rows").inner_text()


def test_post_ids_in_the_event_list_link_to_the_post(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    post = http.post(
        "/v1/posts", json={"text": "Linked from its events", "publish_now": True, "targets": [target("linkedin")]}
    ).json()
    open_inspector(page, live, key, "events")
    link = page.locator("#events-body").get_by_role("link", name=post["id"]).first
    link.click()
    expect(page.locator("#panel-posts")).to_be_visible()
    expect(page.locator("#post-body .post-text")).to_have_text("Linked from its events")
