"""A scenario's ``arrivals:``: activated through PUT /_mock/scenarios, scheduled on the tenant's fake
clock by the same rules as POST /_mock/inbox/arrivals; a bad entry is a 400 naming it, and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver.client import ControlError, TenantHandle
from mockserver.mock import MockServer
from tests.api.inbox_support import advance, publish, quiet
from tests.conftest import ACCOUNTS, API_KEY

IG = ACCOUNTS["instagram"]
HOUR = 3600


@pytest.fixture(autouse=True)
def _quiet(client: httpx.Client) -> None:
    quiet(client)


def now(client: httpx.Client) -> str:
    text: str = client.get("/_mock/clock").json()["now"]
    return text


def activate(client: httpx.Client, body: Any) -> httpx.Response:
    return client.put("/_mock/scenarios", json=body)


def document(*arrivals: dict[str, Any], name: str = "scripted") -> dict[str, Any]:
    return {"name": name, "description": "scripted arrivals", "arrivals": list(arrivals)}


def comments(client: httpx.Client, post: str) -> list[dict[str, Any]]:
    response = client.get(f"/v1/inbox/comments/{post}", params={"account_id": IG})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def conversations(client: httpx.Client) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.get("/v1/inbox/conversations").json()["data"]
    return data


def reviews(client: httpx.Client) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.get("/v1/inbox/reviews").json()["data"]
    return data


def test_the_bundled_unhappy_customer_arrives_as_the_clock_moves(client: httpx.Client) -> None:
    post = publish(client, "instagram")["instagram"]
    assert now(client) == "2026-01-01T00:00:00Z"
    response = activate(client, {"name": "unhappy-customer"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [a["name"] for a in body["data"]] == ["unhappy-customer"]
    assert [(a["kind"], a["account_id"], a["at"], a["arrived"]) for a in body["arrivals"]] == [
        ("comment", IG, "2026-01-01T02:00:00Z", False),
        ("dm", IG, "2026-01-01T09:00:00Z", False),
        ("review", ACCOUNTS["google"], "2026-01-02T09:00:00Z", False),
    ]
    assert comments(client, post) == []
    advance(client, 2 * HOUR)
    (complaint,) = comments(client, post)
    assert (complaint["author_name"], complaint["text"]) == (
        "Riley Unhappy",
        "My order arrived broken and nobody answers my emails.",
    )
    assert conversations(client) == []
    advance(client, 7 * HOUR)
    (conversation,) = conversations(client)
    assert (conversation["participant_name"], conversation["unread_count"]) == ("Riley Unhappy", 1)
    assert reviews(client) == []
    advance(client, 24 * HOUR)
    (review,) = reviews(client)
    assert (review["rating"], review["author"]) == (1, "Riley Unhappy")


def test_relative_absolute_and_time_of_day_instants(client: httpx.Client) -> None:
    advance(client, 10 * HOUR)  # 10:00: "09:00" is tomorrow's
    response = activate(
        client,
        document(
            {"kind": "dm", "account_id": IG, "at": "+1d2h30m", "text": "a"},
            {"kind": "dm", "account_id": IG, "at": "2026-01-03T00:00:00Z", "text": "b", "author_name": "B"},
            {"kind": "dm", "account_id": IG, "at": "09:00", "text": "c", "author_name": "C"},
            {"kind": "mention", "platform": "instagram", "at": "+0s", "text": "now"},
        ),
    )
    assert response.status_code == 200, response.text
    assert [(a["at"], a["arrived"]) for a in response.json()["arrivals"]] == [
        ("2026-01-02T12:30:00Z", False),
        ("2026-01-03T00:00:00Z", False),
        ("2026-01-02T09:00:00Z", False),
        ("2026-01-01T10:00:00Z", True),
    ]


def test_the_active_scenario_lists_its_arrivals(client: httpx.Client) -> None:
    entry = {"kind": "dm", "account_id": IG, "at": "+2h", "text": "hi"}
    assert activate(client, document(entry)).status_code == 200
    (listed,) = client.get("/_mock/scenarios").json()["data"]
    assert listed["arrivals"] == [{**entry, "author_name": "A Customer"}]


def saved(client: httpx.Client) -> dict[str, Any]:
    """The tenant's saved state, less the request-id generator every request moves."""
    state: dict[str, Any] = client.get("/_mock/state").json()
    del state["state"]["request_ids"]
    return state


def refusal(response: httpx.Response) -> tuple[int, str, str, str]:
    error = response.json()["error"]
    return response.status_code, error["code"], error["meta"]["field"], error["message"]


@pytest.mark.parametrize(
    ("entry", "field", "says"),
    [
        (
            {"kind": "dm", "platform": "instagram", "at": "+2x", "text": "a"},
            "arrivals[1].at",
            "'+2x' is not a relative",
        ),
        ({"kind": "dm", "platform": "instagram", "at": 540, "text": "a"}, "arrivals[1].at", "quote times in YAML"),
        ({"kind": "dm", "platform": "instagram", "at": "+1h", "text": ""}, "arrivals[1].text", "at least 1 character"),
        ({"kind": "dm", "platform": "instagram", "at": "+1h", "text": "a", "rate": 1}, "arrivals[1].rate", "unknown"),
        ({"kind": "dm", "at": "+1h", "text": "a"}, "arrivals[1]", "exactly one of account_id or platform"),
    ],
)
def test_a_malformed_entry_is_a_400_naming_entry_and_field(
    client: httpx.Client, entry: dict[str, Any], field: str, says: str
) -> None:
    good = {"kind": "dm", "platform": "instagram", "at": "+1h", "text": "fine"}
    status, code, named, message = refusal(activate(client, document(good, entry)))
    assert (status, named) == (400, field)
    assert code in {"validation.field_invalid", "validation.field_required"}
    assert says in message
    assert client.get("/_mock/scenarios").json()["data"] == []


@pytest.mark.parametrize(
    ("entry", "field", "says"),
    [
        (
            {"kind": "comment", "platform": "instagram", "at": "+1h", "text": "a"},
            "arrivals[1].platform",
            "no published",
        ),
        ({"kind": "review", "platform": "instagram", "at": "+1h", "text": "a"}, "arrivals[1].platform", "no reviews"),
        ({"kind": "dm", "platform": "bluesky", "at": "+1h", "text": "a"}, "arrivals[1].platform", "no bluesky account"),
        ({"kind": "dm", "account_id": "acc_nope", "at": "+1h", "text": "a"}, "arrivals[1].account_id", "acc_nope"),
        ({"kind": "comment", "post_id": "999", "at": "+1h", "text": "a"}, "arrivals[1].post_id", "999"),
        ({"kind": "dm", "account_id": IG, "at": "2025-12-31T00:00:00Z", "text": "a"}, "arrivals[1].at", "before"),
    ],
)
def test_an_entry_the_tenant_cannot_take_is_a_400_and_changes_nothing(
    client: httpx.Client, entry: dict[str, Any], field: str, says: str
) -> None:
    before = saved(client)
    good = {"kind": "dm", "platform": "instagram", "at": "+0s", "text": "would arrive at once"}
    status, code, named, message = refusal(activate(client, document(good, entry)))
    assert saved(client) == before
    assert (status, code, named) == (400, "validation.field_invalid", field)
    assert message.startswith(f"scripted: {field}: ") and says in message
    assert client.get("/_mock/scenarios").json()["data"] == []
    assert conversations(client) == []


def test_the_scenario_cap_refuses_before_anything_is_scheduled(client: httpx.Client) -> None:
    for index in range(32):
        assert activate(client, {"name": f"s{index}", "description": "filler"}).status_code == 200
    entry = {"kind": "dm", "account_id": IG, "at": "+0s", "text": "hi"}
    response = activate(client, document(entry))
    assert (response.status_code, response.json()["error"]["code"]) == (429, "mock.scenario_limit")
    assert conversations(client) == []


def test_yaml_bodies_carry_arrivals_too(client: httpx.Client) -> None:
    text = f"name: y\ndescription: d\narrivals:\n  - {{kind: dm, account_id: {IG}, at: '+1h', text: hi}}\n"
    response = client.put("/_mock/scenarios", content=text, headers={"content-type": "application/yaml"})
    assert response.status_code == 200, response.text
    assert response.json()["arrivals"][0]["at"] == "2026-01-01T01:00:00Z"
    bad = text.replace("'+1h'", "9:00")
    status, _, named, message = refusal(
        client.put("/_mock/scenarios", content=bad, headers={"content-type": "application/yaml"})
    )
    assert (status, named) == (400, "arrivals[0].at") and "got the number 540" in message


def test_the_handle_applies_a_file_in_one_line(server: MockServer, client: httpx.Client, tmp_path: Path) -> None:
    handle = TenantHandle.in_process(server, API_KEY)
    story = tmp_path / "story.yaml"
    story.write_text(
        "name: story\ndescription: a question at 09:00\n"
        "arrivals:\n  - {kind: dm, platform: instagram, at: '09:00', author_name: Dana, text: 'Open today?'}\n"
    )
    assert [s["name"] for s in handle.use_scenario(str(story))] == ["story"]
    handle.advance(seconds=9 * HOUR)
    (conversation,) = conversations(client)
    assert (conversation["participant_name"], conversation["last_message"]) == ("Dana", "Open today?")
    with pytest.raises(ControlError) as refused:
        handle.use_scenario("unhappy-customer")  # nothing published on Instagram yet
    assert (refused.value.status, refused.value.code) == (400, "validation.field_invalid")
    assert "arrivals[0].platform: no published instagram post" in str(refused.value)
    story.write_text(story.read_text().replace("'09:00'", "9:00"))
    with pytest.raises(ValueError, match=r"arrivals\[0\]\.at: got the number 540"):
        handle.use_scenario(str(story))
