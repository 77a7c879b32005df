"""The inspector in a real browser, each test as a developer would use it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect
from socialapi import SocialAPI

from mockserver import MockServer, Settings
from mockserver.serve import ThreadedServer
from tests.conftest import ACCOUNTS
from tests.ui.conftest import LIVE_MS


def open_inspector(page: Page, live: ThreadedServer, key: str, panel: str = "posts") -> None:
    page.goto(f"{live.url}/_mock/ui?key={key}#{panel}")
    expect(page.locator("#live")).to_have_text("live")


def post_row(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator("#posts-rows tr", has_text=text)


def test_a_post_the_app_schedules_appears_without_a_reload(
    page: Page, live: ThreadedServer, key: str, sdk: SocialAPI
) -> None:
    open_inspector(page, live, key)
    expect(page.locator("#posts-rows")).to_contain_text("No posts")
    sdk.publishing.create(
        text="Launch day teaser",
        scheduled_at=datetime(2026, 1, 1, 9, tzinfo=UTC),
        targets=[{"account_id": ACCOUNTS["threads"]}],
    )
    row = post_row(page, "Launch day teaser")
    expect(row).to_be_visible(timeout=LIVE_MS)
    expect(row.locator(".badge").first).to_have_text("scheduled")
    expect(row).to_contain_text("threads: pending")
    expect(page.locator("#clock-next")).to_have_text("2026-01-01 09:00:00")


def test_to_the_next_due_post_publishes_it_and_it_leaves_the_timeline(
    page: Page, live: ThreadedServer, key: str, sdk: SocialAPI
) -> None:
    first = sdk.publishing.create(
        text="Morning post",
        scheduled_at=datetime(2026, 1, 2, 8, 15, tzinfo=UTC),
        targets=[{"account_id": ACCOUNTS["linkedin"]}],
    )
    sdk.publishing.create(
        text="Evening post",
        scheduled_at=datetime(2026, 1, 3, 19, tzinfo=UTC),
        targets=[{"account_id": ACCOUNTS["linkedin"]}],
    )
    open_inspector(page, live, key, "timeline")
    timeline = page.locator("#timeline-body")
    expect(timeline).to_contain_text("Morning post")
    expect(timeline).to_contain_text("Evening post")
    expect(timeline.locator(".next-fire")).to_contain_text("Morning post")

    page.get_by_role("button", name="To the next due post").click()

    expect(page.locator("#clock-fired")).to_contain_text(first.id)
    expect(page.locator("#clock-fired .badge")).to_have_text("published")
    expect(page.locator("#clock-now")).to_have_text("2026-01-02 08:15:00")
    expect(timeline).not_to_contain_text("Morning post")
    expect(timeline).to_contain_text("Evening post")
    page.get_by_role("link", name="Posts").click()
    expect(post_row(page, "Morning post").locator(".badge").first).to_have_text("published")


def test_with_facebook_down_the_next_publish_is_partial_and_shows_the_error(
    page: Page, live: ThreadedServer, key: str, sdk: SocialAPI
) -> None:
    open_inspector(page, live, key, "scenarios")
    page.get_by_role("checkbox", name="facebook-down").check()
    expect(page.locator("#scenarios-active")).to_contain_text("facebook-down")

    post = sdk.publishing.create(
        text="Weekend sale",
        publish_now=True,
        targets=[{"account_id": ACCOUNTS["facebook"]}, {"account_id": ACCOUNTS["linkedin"]}],
    )
    assert post.status == "partial"
    expect(page.locator("#scenarios-active .fired-count")).to_have_text("1", timeout=LIVE_MS)

    page.get_by_role("link", name="Posts").click()
    row = post_row(page, "Weekend sale")
    expect(row.locator(".badge").first).to_have_text("partial")
    row.get_by_role("link").click()
    facebook = page.locator("#post-body article.target[data-platform=facebook]").first
    expect(facebook.locator("header .badge")).to_have_text("failed")
    error = facebook.locator(".target-error")
    expect(error).to_contain_text(post.targets[0].error.code)
    expect(error).to_contain_text(post.targets[0].error.message)
    expect(page.locator("#post-body article.target[data-platform=linkedin] .badge").first).to_have_text("published")


def test_a_request_is_found_in_the_journal_with_its_bodies(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    http.post("/v1/posts", json={"text": "find me in the journal"}, headers={"X-Request-ID": "journal-find-me"})
    http.get("/v1/posts", params={"limit": 3})
    open_inspector(page, live, key, "requests")
    page.get_by_label("Method").select_option("POST")
    rows = page.locator("#requests-rows tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("journal-find-me")
    expect(rows.first).to_contain_text("201")
    rows.first.get_by_role("button").click()
    expect(page.locator("#request-detail .request-body")).to_contain_text("find me in the journal")
    expect(page.locator("#request-detail .response-body")).to_contain_text('"status": "draft"')


def test_text_from_a_request_is_shown_as_text_and_runs_nothing(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    attack = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    http.post("/v1/posts", json={"text": attack, "targets": [{"account_id": ACCOUNTS["linkedin"]}]})
    open_inspector(page, live, key)
    link = post_row(page, "window.__xss").get_by_role("link")
    expect(link).to_have_text(attack)
    link.click()
    expect(page.locator("#post-body .post-text")).to_have_text(attack)
    expect(page.locator("#post-body .preview .bubble").nth(1)).to_have_text(attack)
    assert page.locator("main img[src=x], main script").count() == 0
    assert page.evaluate("window.__xss") is None


def test_state_downloaded_survives_a_reset_and_comes_back_on_upload(
    page: Page, live: ThreadedServer, key: str, sdk: SocialAPI, tmp_path: Path
) -> None:
    for text in ("Keep me one", "Keep me two"):
        sdk.publishing.create(text=text, targets=[{"account_id": ACCOUNTS["linkedin"]}])
    open_inspector(page, live, key, "tenant")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download state").click()
    saved = tmp_path / "state.json"
    download.value.save_as(saved)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset tenant").click()
    expect(page.locator("#tenant-message")).to_contain_text("Reset")
    page.get_by_role("link", name="Posts").click()
    expect(page.locator("#posts-rows")).to_contain_text("No posts")

    page.get_by_role("link", name="Plan & state").click()
    page.get_by_label("Upload state").set_input_files(saved)
    expect(page.locator("#tenant-message")).to_contain_text("Restored 2 posts")
    page.get_by_role("link", name="Posts").click()
    expect(post_row(page, "Keep me one")).to_be_visible()
    expect(post_row(page, "Keep me two")).to_be_visible()


def test_with_a_control_token_the_page_shows_nothing_until_the_token_is_given(page: Page) -> None:
    token = "ui-secret-token"
    with ThreadedServer(MockServer(Settings(control_token=token))) as guarded:
        key = "sapi_key_ui_guarded"
        headers = {"Authorization": f"Bearer {key}"}
        httpx.post(f"{guarded.url}/v1/posts", json={"text": "Secret plans"}, headers=headers)
        page.goto(f"{guarded.url}/_mock/ui?key={key}")
        expect(page.locator("#token-panel")).to_be_visible()
        expect(page.locator("#workspace")).to_be_hidden()
        page.wait_for_timeout(700)  # a polling round would have drawn the posts by now
        assert "Secret plans" not in page.content()

        page.get_by_label("Token", exact=True).fill("wrong")
        page.get_by_role("button", name="Unlock").click()
        expect(page.locator("#token-error")).to_have_text("That token was refused.")
        expect(page.locator("#workspace")).to_be_hidden()

        page.get_by_label("Token", exact=True).fill(token)
        page.get_by_role("button", name="Unlock").click()
        expect(post_row(page, "Secret plans")).to_be_visible()
        # Asked once: a reload keeps the token for the tab's session.
        page.reload()
        expect(post_row(page, "Secret plans")).to_be_visible()
        expect(page.locator("#token-panel")).to_be_hidden()


def test_every_control_has_a_label_and_the_clock_works_from_the_keyboard(
    page: Page, live: ThreadedServer, key: str
) -> None:
    open_inspector(page, live, key)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea, button")]
            .filter((el) => !(el.labels && el.labels.length))
            .filter((el) => !el.getAttribute("aria-label") && !el.textContent.trim())
            .map((el) => el.outerHTML)"""
    )
    assert unlabelled == []
    page.get_by_role("button", name="+1 h").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#clock-now")).to_have_text("2026-01-01 01:00:00")
    page.get_by_role("link", name="Timeline").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#panel-timeline")).to_be_visible()


def test_a_phone_sized_window_needs_no_sideways_scrolling(
    browser, live: ThreadedServer, key: str, sdk: SocialAPI
) -> None:  # type: ignore[no-untyped-def]
    sdk.publishing.create(
        text="A rather long post text that has to wrap on a narrow screen without pushing the page wider",
        targets=[{"account_id": ACCOUNTS["linkedin"]}, {"account_id": ACCOUNTS["twitter"]}],
    )
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        open_inspector(page, live, key)
        expect(post_row(page, "A rather long post")).to_be_visible()
        for panel in ("posts", "timeline", "scenarios", "requests", "events", "tenant"):
            page.goto(f"{live.url}/_mock/ui?key={key}#{panel}")
            expect(page.locator(f"#panel-{panel}")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, panel
    finally:
        context.close()


def test_a_pasted_scenario_is_activated_and_a_bad_one_is_refused_by_field_path(
    page: Page, live: ThreadedServer, key: str
) -> None:
    open_inspector(page, live, key, "scenarios")
    document = (
        "name: my-outage\n"
        "description: Threads fails\n"
        "deliveries:\n"
        "  - match: {platform: thread}\n"
        "    fail: {code: platform.threads.down, message: down, category: platform}\n"
    )
    box = page.get_by_label("Scenario YAML or JSON")
    box.fill(document)
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#scenario-error")).to_contain_text("deliveries[0].match.platform")
    expect(page.locator("#scenarios-active")).not_to_contain_text("my-outage")

    box.fill(document.replace("platform: thread}", "platform: threads}"))
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#scenarios-active")).to_contain_text("my-outage")
    expect(page.locator("#scenario-error")).to_be_empty()
