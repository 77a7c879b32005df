"""The Inbox panel: comment threads, conversations, reviews and mentions, and arrivals made from the page."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from mockserver.serve import ThreadedServer
from tests.conftest import ACCOUNTS, IMAGE, target
from tests.ui.conftest import LIVE_MS
from tests.ui.inspector_page import open_inspector

IG = ACCOUNTS["instagram"]
GOOGLE = ACCOUNTS["google"]


def publish(http: httpx.Client, text: str = "New roast today") -> str:
    """A post published now to Instagram; its platform post id (what the inbox keys threads by)."""
    body = {
        "text": text,
        "publish_now": True,
        "media_ids": [IMAGE],
        "targets": [target("instagram", platform_data={"content_type": "feed"})],
    }
    post = http.post("/v1/posts", json=body).json()
    platform_post_id: str = post["targets"][0]["platform_post_id"]
    return platform_post_id


def arrive(http: httpx.Client, **body: Any) -> dict[str, Any]:
    response = http.post("/_mock/inbox/arrivals", json=body)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_the_panel_shows_threads_conversations_reviews_and_mentions(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    post = publish(http)
    question = arrive(http, kind="comment", post_id=post, text="Where can I buy it?", author_name="Maya")["result_id"]
    arrive(http, kind="comment", post_id=post, text="At the café", author_name="Lee", comment_id=question)
    spam = arrive(http, kind="comment", post_id=post, text="Cheap followers here", author_name="Bot")["result_id"]
    assert http.post(f"/v1/inbox/comments/{post}/{spam}/hide", json={"account_id": IG}).status_code == 200
    chat = arrive(http, kind="dm", account_id=IG, text="Is my order ready?", author_name="Dana")["result_id"]
    arrive(http, kind="dm", account_id=IG, text="Hello?", author_name="Dana")
    review = arrive(http, kind="review", account_id=GOOGLE, text="Great beans", rating=4, author_name="Kim")
    reply = {"account_id": GOOGLE, "text": "Thank you, Kim!"}
    assert http.post(f"/v1/inbox/reviews/{review['result_id']}/reply", json=reply).status_code == 200
    arrive(http, kind="mention", account_id=IG, text="Loving @acmecoffee", author_name="Noor")
    # Scripted for an hour from now: not there until the clock gets there.
    arrive(http, kind="comment", post_id=post, text="Still open?", author_name="Ola", at="2026-01-01T01:00:00Z")

    open_inspector(page, live, key, "inbox")
    thread = page.locator(f'#inbox-threads article[data-thread="{post}"]')
    expect(thread).to_contain_text("New roast today")
    comments = thread.locator("ol.comments").first.locator(":scope > li")
    expect(comments).to_have_count(2)
    first = thread.locator(f'li[data-comment-id="{question}"]')
    expect(first.locator(".comment-head strong").first).to_have_text("Maya")
    expect(first.locator("ol.replies li .comment-text")).to_have_text("At the café")
    hidden = thread.locator(f'li[data-comment-id="{spam}"]')
    expect(hidden).to_have_class("comment is-hidden")
    expect(hidden.locator(".badge")).to_have_text("hidden")
    expect(first.locator(":scope > .comment-head .badge")).to_have_count(0)
    expect(thread.locator("header")).to_contain_text("1 hidden")

    conversation = page.locator(f'#inbox-conversations article[data-conversation="{chat}"]')
    expect(conversation.locator("header")).to_contain_text("Dana")
    expect(conversation.locator("header .badge", has_text="unread")).to_have_text("2 unread")
    expect(conversation.locator("header .badge", has_text="window")).to_have_text("window open until 2026-01-02 00:00")
    expect(conversation.locator(".message .comment-text")).to_have_text(["Is my order ready?", "Hello?"])

    card = page.locator("#inbox-reviews article.review")
    expect(card.locator(".stars")).to_contain_text("4 of 5 stars")
    expect(card.locator("header")).to_contain_text("Kim")
    expect(card.locator("> .comment-text")).to_have_text("Great beans")
    expect(card.locator(".review-reply .comment-text")).to_have_text("Thank you, Kim!")
    expect(page.locator("#inbox-mentions li")).to_contain_text("Loving @acmecoffee")
    expect(page.locator("#inbox-facts")).to_contain_text("Unread messages2")

    expect(thread).not_to_contain_text("Still open?")
    page.get_by_role("button", name="+1 h").click()
    expect(thread.locator(".comment-text", has_text="Still open?")).to_be_visible(timeout=LIVE_MS)
    # Reading a conversation (the app's mark_as_read) shows on the next round; a day later its window is closed.
    assert http.post(f"/v1/inbox/conversations/{chat}/read").status_code == 200
    page.get_by_role("button", name="+1 day").click()
    expect(conversation.locator("header .badge", has_text="window")).to_have_text(
        "window closed 2026-01-02 00:00", timeout=LIVE_MS
    )
    expect(conversation.locator("header .badge", has_text="read")).to_have_text("read")


def test_a_comment_and_a_dm_made_through_the_form_appear_and_the_page_journals_nothing(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    post = publish(http, "Opening hours")
    journaled = len(http.get("/_mock/requests").json()["data"])
    open_inspector(page, live, key, "inbox")
    form = page.get_by_role("form", name="Make something arrive now")
    thread = page.locator(f'#inbox-threads article[data-thread="{post}"]')
    expect(thread).to_contain_text("No comments yet.")

    form.get_by_label("Kind").select_option("comment")
    form.get_by_label("On the post").select_option(post)
    form.get_by_label("From").fill("Maya")
    form.get_by_label("Text").fill("Open on Sunday?")
    form.get_by_label("Text").press("Enter")  # the keyboard submits the form
    arrived = re.compile(r"^The comment arrived at 2026-01-01 00:00:00 \((\d+)\)\.$")
    expect(page.locator("#arrival-message")).to_have_text(arrived)
    said = arrived.match(page.locator("#arrival-message").text_content() or "")
    comment = thread.locator("li.comment")
    expect(comment.locator(".comment-head strong")).to_have_text("Maya")
    expect(comment.locator(".comment-text")).to_have_text("Open on Sunday?")
    expect(form.get_by_label("Text")).to_have_value("")

    form.get_by_label("Kind").select_option("dm")
    form.get_by_label("To the account").select_option(IG)
    form.get_by_label("Text").fill("Can I book a table?")
    page.get_by_role("button", name="Arrive now").click()
    conversation = page.locator("#inbox-conversations article.conversation")
    expect(conversation.locator(".message .comment-text")).to_have_text("Can I book a table?")
    # The author stays filled in, so the same person can write again; only the text is cleared.
    expect(conversation.locator("header")).to_contain_text("Maya")

    # Both went through the control route, as a test's arrivals do: the app sees them in the public API.
    (listed,) = http.get(f"/v1/inbox/comments/{post}", params={"account_id": IG}).json()["data"]
    assert (listed["author_name"], listed["text"]) == ("Maya", "Open on Sunday?")
    assert said is not None and said.group(1) == listed["platform_id"]
    (dm,) = http.get("/v1/inbox/conversations").json()["data"]
    assert dm["last_message"] == "Can I book a table?"
    # The page's many reads took no room in the request journal: only this test's own two reads since.
    paths = [entry["path"] for entry in http.get("/_mock/requests").json()["data"][journaled:]]
    assert paths == [f"/v1/inbox/comments/{post}", "/v1/inbox/conversations"]


def test_html_in_a_comment_a_dm_and_a_name_shows_as_text(
    page: Page, live: ThreadedServer, key: str, http: httpx.Client
) -> None:
    post = publish(http)
    markup = '<img src=x onerror="document.body.dataset.pwned=1"><b>bold</b>'
    arrive(http, kind="comment", post_id=post, text=markup, author_name="<i>Eve</i>")
    arrive(http, kind="dm", account_id=IG, text=markup, author_name="<i>Eve</i>")
    arrive(http, kind="review", account_id=GOOGLE, text=markup, author_name="<i>Eve</i>")
    arrive(http, kind="mention", account_id=IG, text=markup, author_name="<i>Eve</i>")
    open_inspector(page, live, key, "inbox")
    texts = page.locator("#panel-inbox .comment-text")
    expect(texts).to_have_text([markup] * 4)
    expect(page.locator("#inbox-threads .comment-head strong")).to_have_text("<i>Eve</i>")
    panel = page.locator("#panel-inbox")
    expect(panel.locator("img")).to_have_count(0)
    expect(panel.locator("b")).to_have_count(0)
    expect(panel.locator("i")).to_have_count(0)
    assert page.evaluate("document.body.dataset.pwned") is None


def test_an_empty_inbox_says_so_and_a_comment_needs_a_post(page: Page, live: ThreadedServer, key: str) -> None:
    open_inspector(page, live, key, "inbox")
    form = page.get_by_role("form", name="Make something arrive now")
    expect(page.locator("#inbox-threads")).to_have_text(
        "No published post yet: comments arrive under posts published to "
        "Instagram, Facebook, Threads, YouTube, X or LinkedIn."
    )
    expect(page.locator("#inbox-conversations .muted")).to_contain_text("No conversation yet")
    expect(page.locator("#inbox-reviews .muted")).to_contain_text("No review yet")
    expect(page.locator("#inbox-mentions .muted")).to_contain_text("No mention yet")
    submit = page.get_by_role("button", name="Arrive now")
    expect(form.get_by_label("On the post")).to_have_text("(no published post yet)")
    expect(submit).to_be_disabled()
    form.get_by_label("Kind").select_option("review")
    # Only the Google account takes reviews, and stars are asked for.
    expect(form.get_by_label("On the Google account").locator("option")).to_have_count(1)
    expect(form.get_by_label("On the Google account")).to_have_value(GOOGLE)
    expect(form.get_by_label("Stars")).to_be_visible()
    expect(submit).to_be_enabled()
    form.get_by_label("Stars").select_option("2")
    form.get_by_label("Text").fill("Cold coffee")
    submit.click()
    expect(page.locator("#inbox-reviews .stars")).to_contain_text("2 of 5 stars")
    form.get_by_label("Kind").select_option("mention")
    expect(form.get_by_label("Stars")).to_be_hidden()
