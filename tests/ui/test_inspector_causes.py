"""Why a post did not go out, as the inspector tells it: warnings, attempts, the rule behind them, actions."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from mockserver.serve import ThreadedServer
from tests.conftest import IMAGE, target
from tests.ui.conftest import LIVE_MS
from tests.ui.inspector_page import open_inspector, post_row


def test_a_request_the_mock_read_differently_shows_its_warnings(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    answer = http.post(
        "/v1/posts",
        json={"text": "typo in the field name", "schedule_at": "2026-01-02T09:00:00Z"},
        headers={"X-Request-ID": "typo-1"},
    )
    assert "scheduled_at" in answer.headers["X-Mock-Warnings"]
    http.post("/v1/posts", json={"text": "all fields right"}, headers={"X-Request-ID": "clean-1"})
    open_inspector(page, live, key, "requests")
    typo = page.locator("#requests-rows tr", has_text="typo-1")
    expect(typo.locator(".badge.warn")).to_have_text("1 warning")
    expect(page.locator("#requests-rows tr", has_text="clean-1").locator(".badge.warn")).to_have_count(0)
    typo.get_by_role("button").click()
    warnings = page.get_by_role("list", name="Warnings")
    expect(warnings).to_contain_text("schedule_at")
    expect(warnings).to_contain_text("scheduled_at")


def test_a_failed_target_shows_its_attempts_the_rule_behind_them_and_a_retry_publishes_it(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    # instagram-throttled fails the first two Instagram deliveries, then lets them through.
    assert http.put("/_mock/scenarios", json={"name": "instagram-throttled"}).status_code == 200
    post = http.post(
        "/v1/posts",
        json={
            "text": "Opening hours for the holidays",
            "media_ids": [IMAGE],
            "publish_now": True,
            "targets": [target("instagram", platform_data={"content_type": "feed"}), target("linkedin")],
        },
    ).json()
    assert post["status"] == "partial"
    open_inspector(page, live, key, f"posts/{post['id']}")
    instagram = page.locator("#post-body article.target[data-platform=instagram]").first
    expect(instagram.locator("header .badge")).to_have_text("failed")
    attempt = instagram.locator(".attempt")
    expect(attempt).to_have_count(1)
    expect(attempt).to_contain_text("#1 2026-01-01 00:00:00")
    expect(attempt).to_contain_text("platform.instagram.rate_limit")
    expect(attempt.get_by_role("link")).to_have_text("instagram-throttled.deliveries[0]")
    expect(instagram.locator(".next-attempt")).to_contain_text("retry the post")
    expect(page.locator("#post-body article.target[data-platform=linkedin] .attempt .badge")).to_have_text("published")

    retry = page.get_by_role("button", name="Retry the failed targets")
    deliver = page.get_by_role("button", name="Deliver now")
    retry.click()
    # A retry queues the post on the fake clock, as the API's "re-enqueued" says.
    expect(page.locator("#post-body .done")).to_have_text("Retried.")
    expect(instagram.locator(".next-attempt")).to_contain_text("queued")
    deliver.click()
    expect(page.locator("#post-body .done")).to_have_text("Delivered.")
    expect(instagram.locator(".attempt")).to_have_count(2)
    retry.click()  # the third delivery is let through
    deliver.click()
    expect(instagram.locator("header .badge")).to_have_text("published")
    expect(instagram.locator(".attempt").nth(2)).to_contain_text("published")
    expect(page.locator("#post-body > p .badge").first).to_have_text("published")
    expect(retry).to_have_count(0)

    instagram.locator(".attempt").first.get_by_role("link").click()
    expect(page.locator("#panel-scenarios")).to_be_visible()
    card = page.locator("#scenarios-active article.selected")
    expect(card).to_have_attribute("data-scenario", "instagram-throttled")
    expect(card).to_contain_text("deliveries[0] (platform=instagram): fired 2")


def test_a_slowed_attempt_names_the_rule_that_slowed_it(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    slow = {
        "name": "slow-linkedin",
        "description": "LinkedIn answers in 30 ms",
        "deliveries": [{"match": {"platform": "linkedin"}, "latency_ms": 30}],
    }
    assert http.put("/_mock/scenarios", json=slow).status_code == 200
    post = http.post("/v1/posts", json={"text": "slow one", "publish_now": True, "targets": [target("linkedin")]})
    open_inspector(page, live, key, f"posts/{post.json()['id']}")
    attempt = page.locator("#post-body .attempt")
    expect(attempt).to_contain_text("published")
    expect(attempt).to_contain_text("slowed 30 ms")
    expect(attempt.get_by_role("link")).to_have_attribute("href", "#scenarios/slow-linkedin")


def test_a_draft_is_published_now_from_its_details(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    draft = http.post("/v1/posts", json={"text": "Ready when you are", "targets": [target("threads")]}).json()
    open_inspector(page, live, key, f"posts/{draft['id']}")
    expect(page.locator("#post-body > p .badge").first).to_have_text("draft")
    expect(page.get_by_role("button", name="Retry the failed targets")).to_have_count(0)
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator("#post-body .done")).to_have_text("Published.")
    expect(page.locator("#post-body > p .badge").first).to_have_text("published")
    expect(post_row(page, "Ready when you are").locator(".badge").first).to_have_text("published", timeout=LIVE_MS)
    assert http.get(f"/v1/posts/{draft['id']}").json()["status"] == "published"
