"""Verify asserts on replies sent: POST /_mock/verify {"replies": ...} and the handle's assert_replied,
read from the inbox's records (a reply counts once accepted; a refused or deleted one does not)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mockserver.client import TenantHandle
from mockserver.mock import MockServer
from tests.api.inbox_support import advance, arrive, comment_on, dm_from, publish, quiet
from tests.conftest import ACCOUNTS, API_KEY

IG = ACCOUNTS["instagram"]
GOOGLE = ACCOUNTS["google"]


@pytest.fixture(autouse=True)
def _quiet(client: httpx.Client) -> None:
    quiet(client)


def verify(client: httpx.Client, **body: Any) -> httpx.Response:
    return client.post("/_mock/verify", json=body)


def reply_to_comment(client: httpx.Client, post: str, comment: str | None, text: str) -> dict[str, Any]:
    body = {"account_id": IG, "text": text, **({"comment_id": comment} if comment else {})}
    response = client.post(f"/v1/inbox/comments/{post}", json=body)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


def send_dm(client: httpx.Client, conversation: str, **body: Any) -> httpx.Response:
    return client.post(f"/v1/inbox/conversations/{conversation}/messages", json={"account_id": IG, **body})


def test_a_comment_reply_is_verified_by_either_id_of_the_comment(client: httpx.Client) -> None:
    post = publish(client, "instagram")["instagram"]
    comment = comment_on(client, post, "Broken on arrival")
    other = comment_on(client, post, "Love it")
    assert verify(client, replies={"kind": "comment", "to": comment}).status_code == 409
    reply_to_comment(client, post, comment, "So sorry! We sent a DM.")
    answer = verify(client, replies={"kind": "comment", "to": comment, "text_contains": "sorry"}, count=1)
    assert (answer.status_code, answer.json()) == (200, {"matched": 1})
    listed = client.get(f"/v1/inbox/comments/{post}", params={"account_id": IG}).json()["data"]
    interaction_id = next(c["id"] for c in listed if c["platform_id"] == comment)
    assert verify(client, replies={"to": interaction_id}).json() == {"matched": 1}
    assert verify(client, replies={"kind": "comment", "to": other}, count=0).json() == {"matched": 0}


def test_a_miss_says_what_was_expected_and_what_was_sent(client: httpx.Client) -> None:
    post = publish(client, "instagram")["instagram"]
    comment = comment_on(client, post)
    other = comment_on(client, post, "Another")
    reply_to_comment(client, post, other, "Thanks!")
    response = verify(client, replies={"kind": "comment", "to": comment})
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (409, "mock.verification_failed")
    assert error["message"] == (
        f'expected at least 1 reply matching {{"kind":"comment","to":"{comment}"}}, but 0 replies matched'
    )
    (miss,) = error["meta"]["nearest"]
    assert miss["differences"] == [{"field": "to", "expected": comment, "actual": other}]
    assert (miss["entry"]["kind"], miss["entry"]["text"], miss["entry"]["platform"]) == (
        "comment",
        "Thanks!",
        "instagram",
    )


def test_a_dm_send_is_one_reply_and_a_refused_one_none(client: httpx.Client) -> None:
    conversation = dm_from(client, "instagram", "Dana", "Is my order ready?")
    response = send_dm(client, conversation, text="Yes, pick it up", attachment_url="https://example.com/r.png")
    assert response.status_code in (200, 201), response.text
    answer = verify(client, replies={"kind": "dm", "to": conversation, "text_contains": "pick it up"}, count=1)
    assert answer.json() == {"matched": 1}
    advance(client, 25 * 3600)  # the 24-hour window closes: the send is refused and is no reply
    assert send_dm(client, conversation, text="Still there?").status_code == 400
    assert verify(client, replies={"kind": "dm", "to": conversation}, count=1).json() == {"matched": 1}
    wrong = verify(client, replies={"kind": "dm", "to": conversation, "text_contains": "Still there"})
    assert wrong.status_code == 409
    (miss,) = wrong.json()["error"]["meta"]["nearest"]
    assert miss["differences"] == [{"field": "text_contains", "expected": "Still there", "actual": "Yes, pick it up"}]


def test_review_and_private_replies(client: httpx.Client) -> None:
    review = arrive(client, kind="review", account_id=GOOGLE, text="Cold coffee", rating=2)["result_id"]
    assert verify(client, replies={"kind": "review", "to": review}).status_code == 409
    reply = client.post(f"/v1/inbox/reviews/{review}/reply", json={"account_id": GOOGLE, "text": "We will do better"})
    assert reply.status_code in (200, 201), reply.text
    assert verify(client, replies={"kind": "review", "to": review, "platform": "google"}).json() == {"matched": 1}
    post = publish(client, "instagram")["instagram"]
    comment = comment_on(client, post)
    private = client.post(f"/v1/inbox/comments/{post}/{comment}/private-reply", json={"account_id": IG, "text": "DM"})
    assert private.status_code in (200, 201), private.text
    assert verify(client, replies={"kind": "private_reply", "to": comment}, count=1).json() == {"matched": 1}
    assert verify(client, replies={"kind": "comment", "to": comment}, count=0).json() == {"matched": 0}


def test_a_deleted_reply_no_longer_counts(client: httpx.Client) -> None:
    post = publish(client, "instagram")["instagram"]
    comment = comment_on(client, post)
    ours = reply_to_comment(client, post, comment, "Thanks")["comment_id"]
    assert verify(client, replies={"to": comment}).json() == {"matched": 1}
    assert client.delete(f"/v1/inbox/comments/{post}/{ours}", params={"account_id": IG}).status_code in (200, 204)
    assert verify(client, replies={"to": comment}, count=0).json() == {"matched": 0}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"replies": {"kind": "like"}}, "replies.kind"),
        ({"replies": {"platform": "myspace"}}, "unknown platform"),
        ({"replies": {}, "requests": {}}, "exactly one of requests, deliveries or replies"),
        ({"replies": {"too": "x"}}, "replies.too"),
    ],
)
def test_a_bad_replies_expectation_is_a_400(client: httpx.Client, body: dict[str, Any], says: str) -> None:
    response = client.post("/_mock/verify", json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert says in error["message"] or says in str(error["meta"])


def test_the_handle_asserts_replies_in_one_call(server: MockServer, client: httpx.Client) -> None:
    handle = TenantHandle.in_process(server, API_KEY)
    with pytest.raises(AssertionError) as nothing:
        handle.assert_replied("dm")
    assert str(nothing.value) == (
        'expected at least 1 reply matching {"kind":"dm"}, but 0 replies matched.\n'
        "There is nothing in the inbox's sent replies to compare with."
    )
    conversation = handle.arrive("dm", "Where is my order?", account_id=IG, author_name="Dana")["result_id"]
    assert send_dm(client, conversation, text="On its way").status_code in (200, 201)
    handle.assert_replied("dm", conversation, text_contains="On its way", times=1)
    with pytest.raises(AssertionError) as missed:
        handle.assert_replied("dm", conversation, text_contains="refund")
    lines = str(missed.value).splitlines()
    assert lines[0] == (
        f'expected at least 1 reply matching {{"kind":"dm","to":"{conversation}","text_contains":"refund"}}, '
        "but 0 replies matched."
    )
    assert lines[1] == "Nearest replies:"
    assert lines[2].startswith(f"  1. dm reply to {conversation} from instagram {IG} at ")
    assert lines[2].endswith(": 'On its way'")
    assert lines[3] == "       text_contains: expected 'refund', got 'On its way'"
    with pytest.raises(AssertionError, match="expected exactly 0 replies"):
        handle.assert_replied("dm", conversation, times=0)
