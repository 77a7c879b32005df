"""``GET /_mock/inbox``: the whole inbox at once, as the inspector's Inbox panel reads it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.inbox_support import advance, arrive, comment_on, dm_from, publish, quiet
from tests.conftest import ACCOUNTS

IG = ACCOUNTS["instagram"]


def overview(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/_mock/inbox")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_threads_hold_replies_beside_their_comment_and_hidden_comments_marked(client: httpx.Client) -> None:
    quiet(client)
    post = publish(client, "instagram")["instagram"]
    first = comment_on(client, post, "Where can I buy it?", author_name="Maya")
    reply = comment_on(client, post, "In the shop", author_name="Lee", comment_id=first)
    hidden = comment_on(client, post, "spam spam", author_name="Bot")
    assert client.post(f"/v1/inbox/comments/{post}/{hidden}/hide", json={"account_id": IG}).status_code == 200

    (thread,) = overview(client)["threads"]
    assert (thread["id"], thread["account_id"], thread["platform"]) == (post, IG, "instagram")
    comments = {c["platform_id"]: c for c in thread["comments"]}
    assert list(comments) == [first, reply, hidden]
    assert comments[reply]["parent_id"] == first and comments[first]["reply_count"] == 1
    assert [c["is_hidden"] for c in comments.values()] == [False, False, True]
    # The public list leaves the hidden one out; the overview keeps it.
    public = client.get(f"/v1/inbox/comments/{post}", params={"account_id": IG}).json()["data"]
    assert [c["platform_id"] for c in public] == [first]


def test_conversations_carry_their_messages_unread_count_and_window(client: httpx.Client) -> None:
    quiet(client)
    conversation = dm_from(client, "instagram", "Dana", "Is my order ready?")
    dm_from(client, "instagram", "Dana", "Hello?")
    dm_from(client, "twitter", "Sam", "hi")

    items = {c["conversation"]["id"]: c for c in overview(client)["conversations"]}
    instagram = items[conversation]
    assert instagram["conversation"]["unread_count"] == 2
    assert [m["text"] for m in instagram["messages"]] == ["Is my order ready?", "Hello?"]
    assert instagram["window"] == {"open": True, "closes_at": "2026-01-02T00:00:00Z"}
    (twitter,) = [c for c in items.values() if c["conversation"]["platform"] == "twitter"]
    assert twitter["window"] is None

    advance(client, 86400)  # the closing instant itself still takes a send
    assert window_of(client, conversation) == {"open": True, "closes_at": "2026-01-02T00:00:00Z"}
    advance(client, 1)
    assert window_of(client, conversation) == {"open": False, "closes_at": "2026-01-02T00:00:00Z"}
    sent = client.post(f"/v1/inbox/conversations/{conversation}/messages", json={"account_id": IG, "text": "Sorry!"})
    assert sent.json()["error"]["code"] == "platform.instagram.window_closed"


def window_of(client: httpx.Client, conversation: str) -> object:
    (item,) = [c for c in overview(client)["conversations"] if c["conversation"]["id"] == conversation]
    return item["window"]


def test_reviews_with_their_reply_mentions_and_the_accounts_arrivals_reach(client: httpx.Client) -> None:
    quiet(client)
    google, x = ACCOUNTS["google"], ACCOUNTS["twitter"]
    review = arrive(client, kind="review", account_id=google, text="Great beans", rating=4)["result_id"]
    arrive(client, kind="mention", account_id=x, text="Thanks @acme", author_name="Kim")
    reply = client.post(f"/v1/inbox/reviews/{review}/reply", json={"account_id": google, "text": "Thank you!"})
    assert reply.status_code == 200, reply.text

    body = overview(client)
    (item,) = body["reviews"]
    assert (item["review"]["id"], item["review"]["rating"], item["reply"]["text"]) == (review, 4, "Thank you!")
    (mention,) = body["mentions"]
    assert (mention["account_id"], mention["content"]["text"], mention["author"]["name"]) == (x, "Thanks @acme", "Kim")
    kinds = {a["id"]: a["kinds"] for a in body["accounts"]}
    assert kinds[google] == ["review"]
    assert kinds[IG] == ["comment", "dm", "mention"]
    assert ACCOUNTS["pinterest"] not in kinds


def test_reading_the_overview_stays_out_of_the_journal(client: httpx.Client) -> None:
    overview(client)
    assert client.get("/_mock/requests").json()["data"] == []
