"""Regenerate docs/img/*.png: the inspector's panels with a small demo tenant (`make screenshots`).

Runs the mock on a free loopback port, fills one tenant the way an app would (through the public
API), and photographs each panel with Debian's chromium through Playwright.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

from mockserver import MockServer, Settings
from mockserver.serve import ThreadedServer

OUT = Path(__file__).resolve().parent / "img"
KEY = "sapi_key_demo"
DRIFT_KEY = "sapi_key_demo_drift"
WALL_CLOCK = "2026-12-07T09:00:00Z"
ACCOUNTS = {
    "instagram": "acc_01JG7M6ETZWF057J6W0ZMDSGPP",
    "facebook": "acc_01JGR4N5JJX9K1QQXV5SZ7VZSG",
    "linkedin": "acc_01JGTY1E836VY9YE7XYGSKYSVC",
    "threads": "acc_01JGJH029XZQCGZXZV2JMX6WGW",
    "twitter": "acc_01JGR43PP11YMKWM7ZXA9DVNXE",
    "google": "acc_01JG4S2CB23WCY18D8ABRHVT5R",
}
IMAGE = "med_01JGB6MH4JMAGG40TGT036F1K7"


def fill(api: httpx.Client) -> str:
    """A day in the life of a small coffee roaster's publishing app; returns the partial post's id."""
    targets = [{"account_id": ACCOUNTS[p]} for p in ("linkedin", "twitter", "threads")]
    roast = api.post(
        "/v1/posts",
        json={"text": "Fresh roast today: Ethiopia Guji, bright and floral", "publish_now": True, "targets": targets},
    ).json()
    inbox(api, {t["platform"]: t["platform_post_id"] for t in roast["targets"]})
    api.post("/v1/posts", json={"text": "Draft: winter blend announcement", "targets": targets[:1]})
    events = ["post.published", "post.partial", "post.failed"]
    api.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hooks/socialapi", "events": events})
    schedule = [
        ("2026-01-01T09:00:00Z", "Good morning! The café opens at 9", ["instagram", "facebook"]),
        ("2026-01-01T12:30:00Z", "Lunch special: cold brew + croissant", ["threads", "twitter"]),
        ("2026-01-02T08:00:00Z", "Cupping session this Saturday, sign up via the link", ["linkedin"]),
        ("2026-01-03T17:45:00Z", "Behind the scenes at the roastery", ["instagram", "threads"]),
        ("2026-01-05T10:00:00Z", "New single origin from Colombia arrives Monday", ["facebook", "linkedin"]),
    ]
    for at, text, platforms in schedule:
        api.post(
            "/v1/posts",
            json={
                "text": text,
                "scheduled_at": at,
                "media_ids": [IMAGE] if "instagram" in platforms else None,
                "targets": [
                    {
                        "account_id": ACCOUNTS[p],
                        **({"platform_data": {"content_type": "feed"}} if p == "instagram" else {}),
                    }
                    for p in platforms
                ],
            },
        )
    api.post(
        "/v1/posts",
        json={
            "text": "A thread on how we roast: 1/ green beans arrive from the farm",
            "segments": [{"text": "2/ twelve minutes in the drum"}, {"text": "3/ two days of rest, then the bag"}],
            "publish_now": True,
            "targets": [{"account_id": ACCOUNTS["threads"]}],
        },
    )
    # A typo the mock answers with X-Mock-Warnings: the Requests view shows it.
    api.post(
        "/v1/posts",
        json={"text": "Friday tasting", "schedule_at": "2026-01-09T17:00:00Z", "targets": targets[:1]},
        headers={"X-Request-ID": "typo-demo"},
    )
    api.put("/_mock/scenarios", json={"name": "facebook-down"})
    api.put("/_mock/scenarios", json={"name": "instagram-throttled"})
    partial = api.post(
        "/v1/posts",
        json={
            "text": (
                "We're hiring a barista! Mornings, four days a week, in our Downtown café. You love people, "
                "coffee and a tidy counter; we teach the rest, from dialling in the grinder to latte art. "
                "Apply in store or reply here."
            ),
            "first_comment": "Full job description: example.com/jobs",
            "media_ids": [IMAGE],
            "publish_now": True,
            "targets": [
                {"account_id": ACCOUNTS["instagram"], "platform_data": {"content_type": "feed"}},
                {"account_id": ACCOUNTS["facebook"]},
                {"account_id": ACCOUNTS["linkedin"]},
                {"account_id": ACCOUNTS["twitter"]},
            ],
        },
    ).json()
    api.post(
        "/v1/posts", json={"text": "No targets", "publish_now": True}, headers={"X-Request-ID": "bad-request-demo"}
    )
    return str(partial["id"])


def inbox(api: httpx.Client, posted: dict[str, str]) -> None:
    """What the customers answered: a comment thread, a DM conversation, a review and a mention."""

    def arrive(**body: object) -> str:
        return str(api.post("/_mock/inbox/arrivals", json=body).json()["result_id"])

    threads = posted["threads"]
    question = arrive(kind="comment", post_id=threads, text="Is the Guji available as whole beans?", author_name="Maya")
    api.post(
        f"/v1/inbox/comments/{threads}",
        json={"account_id": ACCOUNTS["threads"], "text": "Yes, 250 g and 1 kg bags!", "comment_id": question},
    )
    arrive(kind="comment", post_id=threads, text="Ordered mine <3", author_name="Lee", comment_id=question)
    spam = arrive(kind="comment", post_id=threads, text="Cheap followers at spam.example", author_name="Bot")
    api.post(f"/v1/inbox/comments/{threads}/{spam}/hide", json={"account_id": ACCOUNTS["threads"]})
    arrive(kind="comment", post_id=posted["twitter"], text="Floral? Tell me more", author_name="Sam")
    chat = arrive(
        kind="dm", account_id=ACCOUNTS["instagram"], text="Hi! Do you deliver on Sundays?", author_name="Dana"
    )
    api.post(
        f"/v1/inbox/conversations/{chat}/messages",
        json={"account_id": ACCOUNTS["instagram"], "text": "We do, from 10 to 2."},
    )
    arrive(kind="dm", account_id=ACCOUNTS["instagram"], text="Perfect, see you then", author_name="Dana")
    review = arrive(kind="review", account_id=ACCOUNTS["google"], text="Best flat white in town", rating=5)
    api.post(f"/v1/inbox/reviews/{review}/reply", json={"account_id": ACCOUNTS["google"], "text": "Thank you!"})
    arrive(kind="mention", account_id=ACCOUNTS["twitter"], text="Great beans from @acmecoffee", author_name="Kim")


def shoot(page: Page, name: str, locator: str) -> None:
    page.wait_for_timeout(900)
    page.locator(locator).screenshot(path=OUT / f"{name}.png")
    print(f"docs/img/{name}.png")


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is missing: run `make chromium` first", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    with ThreadedServer(MockServer(Settings())) as live, sync_playwright() as driver:
        with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {KEY}"}) as api:
            partial = fill(api)
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        # The browser's wall clock, fixed so the pictures are the same on every run.
        page.clock.set_fixed_time(WALL_CLOCK)
        base = f"{live.url}/_mock/ui?key={KEY}"
        page.goto(f"{base}#posts/{partial}")
        page.wait_for_timeout(1200)
        page.screenshot(path=OUT / "inspector.png")
        print("docs/img/inspector.png")
        shoot(page, "clock", "#clock")
        shoot(page, "posts", "#panel-posts")
        shoot(page, "post", "#post")
        for panel in ("timeline", "scenarios", "requests", "events", "inbox", "tenant"):
            page.goto(f"{base}#{panel}")
            if panel == "requests":
                page.wait_for_timeout(700)
                page.locator("#requests-rows tr", has_text="typo-demo").get_by_role("button").click()
            shoot(page, panel, f"#panel-{panel}")
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        phone.clock.set_fixed_time(WALL_CLOCK)
        phone.goto(f"{base}#posts")
        phone.wait_for_timeout(1200)
        phone.screenshot(path=OUT / "phone.png")
        print("docs/img/phone.png")
        phone.goto(f"{base}#posts/{partial}")
        phone.wait_for_timeout(1200)
        phone.screenshot(path=OUT / "phone-post.png")
        print("docs/img/phone-post.png")
        # A tenant whose app scheduled by the wall clock while the fake one sits at its start.
        with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {DRIFT_KEY}"}) as api:
            api.post(
                "/v1/posts",
                json={
                    "text": "Posted five minutes from now, by the app's clock",
                    "scheduled_at": "2026-12-07T09:05:00Z",
                    "targets": [{"account_id": ACCOUNTS["linkedin"]}],
                },
            )
        page.goto(f"{live.url}/_mock/ui?key={DRIFT_KEY}#timeline")
        shoot(page, "drift", "#workspace")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
