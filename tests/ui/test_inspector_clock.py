"""The fake clock beside the wall clock, and posts scheduled far beyond the fake one."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from playwright.sync_api import Page, expect

from mockserver.serve import ThreadedServer
from tests.conftest import target
from tests.ui.inspector_page import open_inspector


def test_the_wall_clock_is_shown_beside_the_tenant_clock(page: Page, live: ThreadedServer, key: str) -> None:
    # The browser's own clock, set for the test: the page reads the wall clock, the mock does not.
    page.clock.set_fixed_time(datetime(2026, 12, 7, 6, 30, tzinfo=UTC))
    open_inspector(page, live, key)
    expect(page.locator("#clock-wall")).to_have_text("2026-12-07 06:30:00")
    expect(page.locator("#clock-now")).to_have_text("2026-01-01 00:00:00")


def test_a_post_scheduled_far_beyond_the_tenant_clock_is_pointed_out_and_jumped_to(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    # The app scheduled "now + 5 minutes" by its own clock; the tenant's clock sits at 2026-01-01.
    soon = http.post(
        "/v1/posts",
        json={"text": "in five minutes", "scheduled_at": "2026-12-07T06:35:00Z", "targets": [target("linkedin")]},
    ).json()
    open_inspector(page, live, key, "timeline")
    drift = page.locator("#clock-drift")
    expect(drift).to_contain_text("The next scheduled post is 340 days ahead of this tenant's clock")
    expect(drift).to_contain_text("due 2026-12-07 06:35:00")
    timeline = page.locator("#timeline-body")
    expect(timeline).to_contain_text("Nothing is scheduled in the next 7 days")
    expect(timeline).to_contain_text("The next scheduled post is due 2026-12-07 06:35:00, 340 days ahead")

    drift.get_by_role("button", name="Jump to it").click()
    expect(page.locator("#clock-now")).to_have_text("2026-12-07 06:35:00")
    expect(page.locator("#clock-fired")).to_contain_text(soon["id"])
    expect(drift).to_be_empty()
    assert http.get(f"/v1/posts/{soon['id']}").json()["status"] == "published"


def test_a_post_within_the_week_raises_no_warning_and_the_timeline_jumps_too(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    http.post(
        "/v1/posts",
        json={"text": "tomorrow", "scheduled_at": "2026-01-02T09:00:00Z", "targets": [target("linkedin")]},
    )
    later = http.post(
        "/v1/posts",
        json={"text": "next month", "scheduled_at": "2026-02-01T09:00:00Z", "targets": [target("linkedin")]},
    ).json()
    open_inspector(page, live, key, "timeline")
    expect(page.locator("#timeline-body")).to_contain_text("tomorrow")
    expect(page.locator("#clock-drift")).to_be_empty()
    page.get_by_role("button", name="To the next due post").click()
    expect(page.locator("#clock-now")).to_have_text("2026-01-02 09:00:00")
    # Now the next post is 30 days ahead: the Timeline says where it is and jumps there.
    page.locator("#timeline-body").get_by_role("button", name="Jump to the next due post").click()
    expect(page.locator("#clock-now")).to_have_text("2026-02-01 09:00:00")
    expect(page.locator("#clock-fired")).to_contain_text(later["id"])
