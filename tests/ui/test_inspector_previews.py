"""Previews a designer would recognise: the author, the pictures, the feed's fold, the thread, the title."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from mockserver.serve import ThreadedServer
from tests.conftest import IMAGE, VIDEO, target
from tests.ui.inspector_page import open_inspector

LONG = (
    "Our winter blend is back: dark chocolate, orange peel and a long, sweet finish. "
    "Roasted on Monday, in the shop from Wednesday, and on the bar every morning until the snow melts."
)


def test_each_feed_shows_the_author_the_picture_and_folds_the_text_where_the_platform_does(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    post = http.post(
        "/v1/posts",
        json={
            "text": LONG,
            "media_ids": [IMAGE],
            "first_comment": "Beans at acme.example/winter",
            "segments": [{"text": "And yes, decaf too."}],
            "targets": [target("instagram", platform_data={"content_type": "feed"}), target("threads")],
        },
    ).json()
    open_inspector(page, live, key, f"posts/{post['id']}")
    instagram = page.locator("#post-body article.feed[data-platform=instagram]")
    expect(instagram.locator(".feed-platform")).to_have_text("Instagram")
    # The picture above the caption, as Instagram's feed has it; Threads has it below.
    assert instagram.locator(".message").first.evaluate(
        "(m) => m.querySelector('.feed-media').compareDocumentPosition(m.querySelector('.feed-text')) === 4"
    )
    expect(instagram.locator(".author-name").first).to_have_text("Acme Coffee")
    expect(instagram.locator(".handle").first).to_have_text("@acmecoffee")
    picture = instagram.locator(".feed-media img")
    expect(picture).to_have_count(1)
    picture.scroll_into_view_if_needed()
    # A real image, drawn by the mock: the browser decoded it.
    page.wait_for_function("(img) => img.complete && img.naturalWidth === 200", arg=picture.element_handle())
    # Instagram cuts a caption after 125 characters, at a word, with "more".
    text = instagram.locator(".feed-text").first
    expect(text).to_contain_text("… more")
    shown = text.inner_text().removesuffix("… more").strip()
    assert LONG.startswith(shown) and len(shown) <= 125 and LONG[len(shown)] == " "
    expect(instagram.locator(".count").first).to_have_text(f"{len(LONG)} / 2200 characters")
    text.get_by_role("button", name="more").click()
    expect(text).to_have_text(LONG)
    expect(instagram.locator(".first-comment")).to_contain_text("Beans at acme.example/winter")
    expect(instagram.locator(".note")).to_contain_text("segments are dropped")

    threads = page.locator("#post-body article.feed[data-platform=threads]")
    assert threads.locator(".message").first.evaluate(
        "(m) => m.querySelector('.feed-text').compareDocumentPosition(m.querySelector('.feed-media')) === 4"
    )
    expect(threads.locator(".feed-text").first).to_have_text(LONG)  # Threads shows all 500
    expect(threads.get_by_role("list", name="Thread").locator("li")).to_have_count(1)
    expect(threads.locator(".thread")).to_contain_text("And yes, decaf too.")


def test_a_title_is_shown_where_the_platform_shows_one_and_a_video_has_a_picture(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    post = http.post(
        "/v1/posts",
        json={
            "text": "Twelve minutes in the drum",
            "title": "How we roast",
            "media_ids": [VIDEO],
            "targets": [target("youtube")],
        },
    )
    assert post.status_code == 201, post.text
    open_inspector(page, live, key, f"posts/{post.json()['id']}")
    youtube = page.locator("#post-body article.feed[data-platform=youtube]")
    expect(youtube.locator(".feed-title")).to_contain_text("How we roast")
    expect(youtube.locator(".feed-title .count")).to_have_text("12 / 100 characters")
    expect(youtube.locator(".author-name")).to_have_text("Acme Coffee TV")
    expect(youtube.locator(".handle")).to_have_text("@acmecoffeetv")
    picture = youtube.locator(".feed-media .video img")
    picture.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth === 200", arg=picture.element_handle())


def test_preview_links_stay_inside_the_mock_and_the_api_permalinks_stay_the_vendors(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    post = http.post(
        "/v1/posts", json={"text": "Out now", "publish_now": True, "targets": [target("facebook"), target("linkedin")]}
    ).json()
    permalink = post["targets"][0]["permalink"]
    assert permalink.startswith("https://www.facebook.com/")
    open_inspector(page, live, key, f"posts/{post['id']}")
    facebook = page.locator("#post-body article.target[data-platform=facebook]").first
    expect(facebook.locator(".permalink")).to_have_text(permalink)
    hrefs = page.locator("#post-body a").evaluate_all("(links) => links.map((a) => a.href)")
    assert hrefs and all(href.startswith(live.url) for href in hrefs), hrefs
    facebook.get_by_role("link", name="facebook preview").click()
    card = page.locator("#post-body article.feed[data-platform=facebook]")
    expect(card).to_be_in_viewport()
    expect(card.locator(".author-name")).to_have_text("Acme Coffee Roasters")
