"""Conversations through the official SDK: inbound DMs open and renew the 24-hour window, sends inside
it spend a credit and record one row per bubble, read state, archiving."""

from __future__ import annotations

import httpx
import pytest
from socialapi import SocialAPI
from socialapi._exceptions import BadRequestError, NotFoundError, NotSupportedError

from tests.api.inbox_support import advance, dm_from, quiet
from tests.conftest import ACCOUNTS

IG = ACCOUNTS["instagram"]


@pytest.fixture(autouse=True)
def _quiet(client: httpx.Client) -> None:
    quiet(client)


def test_an_inbound_dm_opens_a_conversation_with_an_unread_message(client: httpx.Client, sdk: SocialAPI) -> None:
    conversation_id = dm_from(client, "instagram", "Dana", "Are you open Sunday?")
    (row,) = sdk.conversations.list().data
    assert (row.id, row.participant_name, row.unread_count, row.last_message) == (
        conversation_id,
        "Dana",
        1,
        "Are you open Sunday?",
    )
    assert dm_from(client, "instagram", "Dana", "Hello?") == conversation_id
    got = sdk.conversations.get(conversation_id)
    assert (got.unread_count, got.last_message) == (2, "Hello?")
    messages = sdk.conversations.list_messages(conversation_id).data
    assert [(m.text, m.direction) for m in messages] == [("Hello?", "incoming"), ("Are you open Sunday?", "incoming")]
    sdk.conversations.mark_as_read(conversation_id)
    assert sdk.conversations.get(conversation_id).unread_count == 0


def test_a_send_inside_the_window_records_one_row_per_bubble(client: httpx.Client, sdk: SocialAPI) -> None:
    conversation_id = dm_from(client, "instagram")
    sent = sdk.conversations.send_message(
        conversation_id, account_id=IG, text="Yes, 9 to 5", attachment_url="https://example.com/menu.png"
    )
    raw = client.get(f"/v1/inbox/conversations/{conversation_id}/messages").json()["data"]
    # Newest first: the text went first, so its row (the answer's message_id) is under the attachment's.
    assert raw[1]["id"] == sent.message_id
    assert [(m["direction"], m["text"], m["attachment_url"]) for m in raw] == [
        ("outgoing", None, "https://example.com/menu.png"),
        ("outgoing", "Yes, 9 to 5", None),
        ("incoming", "Hi!", None),
    ]
    assert sdk.conversations.get(conversation_id).last_message == "Yes, 9 to 5"
    both = client.post(
        f"/v1/inbox/conversations/{conversation_id}/messages",
        json={"account_id": IG, "text": "a", "attachment_url": "https://example.com/b.png"},
    ).json()
    newest = client.get(f"/v1/inbox/conversations/{conversation_id}/messages", params={"limit": 2}).json()["data"]
    assert both["message_ids"] == [m["id"] for m in newest][::-1] and both["message_id"] == both["message_ids"][0]


def test_the_window_closes_24_hours_after_the_last_inbound_and_reopens_with_the_next(
    client: httpx.Client, sdk: SocialAPI
) -> None:
    conversation_id = dm_from(client, "instagram")
    advance(client, 24 * 3600 + 1)
    with pytest.raises(BadRequestError) as closed:
        sdk.conversations.send_message(conversation_id, account_id=IG, text="Sorry for the wait")
    assert closed.value.body["error"]["code"] == "platform.instagram.window_closed"  # type: ignore[index]
    assert dm_from(client, "instagram") == conversation_id
    assert sdk.conversations.send_message(conversation_id, account_id=IG, text="Here now").success is True


def test_archived_conversations_leave_the_default_list(client: httpx.Client, sdk: SocialAPI) -> None:
    conversation_id = dm_from(client, "facebook")
    assert sdk.conversations.update(conversation_id, status="archived").status == "archived"
    assert sdk.conversations.list().data == []
    assert [c.id for c in sdk.conversations.list(status="archived").data] == [conversation_id]
    response = client.patch(f"/v1/inbox/conversations/{conversation_id}", json={"status": "deleted"})
    assert (response.status_code, response.json()["error"]["code"]) == (400, "validation.field_invalid")


def test_conversation_errors(client: httpx.Client, sdk: SocialAPI) -> None:
    with pytest.raises(NotFoundError):
        sdk.conversations.get("conv_nope")
    conversation_id = dm_from(client, "instagram")
    with pytest.raises(NotFoundError):
        sdk.conversations.send_message(conversation_id, account_id=ACCOUNTS["facebook"], text="wrong account")
    empty = client.post(f"/v1/inbox/conversations/{conversation_id}/messages", json={"account_id": IG})
    assert (empty.status_code, empty.json()["error"]["code"]) == (400, "validation.field_required")
    scripted = client.post("/_mock/inbox/arrivals", json={"kind": "dm", "account_id": ACCOUNTS["google"], "text": "hi"})
    assert scripted.status_code == 400
    with pytest.raises(NotSupportedError):
        sdk.mentions.list(ACCOUNTS["linkedin"])


def test_pages_of_messages_follow_the_cursor_to_the_end(client: httpx.Client, sdk: SocialAPI) -> None:
    conversation_id = ""
    for n in range(5):
        conversation_id = dm_from(client, "instagram", text=f"message {n}")
    first = sdk.conversations.list_messages(conversation_id, limit=2)
    assert first.has_more is True
    assert [m.text for m in first] == [f"message {n}" for n in range(4, -1, -1)]
