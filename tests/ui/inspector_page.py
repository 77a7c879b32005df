"""What the inspector's browser tests share: opening the page on a tenant, and the overflow check."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from mockserver.serve import ThreadedServer

TABS = ("posts", "timeline", "scenarios", "requests", "events", "inbox", "tenant")

# Every laid-out element whose box leaves the viewport sideways (the skip link waits off-screen on
# purpose, wholly left of it, and is not counted).
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
  .filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > innerWidth + 0.5 || (box.left < -0.5 && box.right > 0));
  })
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`)"""


def open_inspector(page: Page, live: ThreadedServer, key: str, panel: str = "posts") -> None:
    page.goto(f"{live.url}/_mock/ui?key={key}#{panel}")
    expect(page.locator("#live")).to_have_text("live")


def post_row(page: Page, text: str) -> Locator:
    return page.locator("#posts-rows tr", has_text=text)


def overflowing(page: Page) -> list[str]:
    found: list[str] = page.evaluate(OVERFLOWING)
    return found
