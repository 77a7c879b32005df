"""Pinterest board management as posts/pinterest.mdx and the 2026-08-22 reference show it."""

from __future__ import annotations

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, AUTH, IMAGE

PINTEREST = ACCOUNTS["pinterest"]
BOARDS = f"/v1/accounts/{PINTEREST}/boards"


@pytest.fixture
def settings() -> Settings:
    return Settings(api_version="2026-08-22")


def test_listed_boards_carry_pinterests_board_id(client: httpx.Client) -> None:
    listed = client.get(BOARDS).json()["data"]
    assert listed[0] == {
        "id": "sapi_board_01JGKBQ3M8Z2X7V5N1R4T6W9YC",
        "board_id": "8828",
        "name": "Coffee Recipes",
        "privacy": "PUBLIC",
    }
    assert listed[1]["board_id"].isdigit()


def test_create_update_delete_follow_the_documented_examples(client: httpx.Client) -> None:
    created = client.post(BOARDS, json={"name": "Recipes", "description": "Weeknight dinners", "privacy": "PUBLIC"})
    assert created.status_code == 201
    board = created.json()
    assert list(board) == ["id", "board_id", "name", "privacy"]
    assert board["id"].startswith("sapi_board_") and board["board_id"].isdigit()
    assert (board["name"], board["privacy"]) == ("Recipes", "PUBLIC")
    assert board in client.get(BOARDS).json()["data"]

    # boardId accepts the internal handle or the raw Pinterest id.
    renamed = client.patch(f"{BOARDS}/{board['board_id']}", json={"name": "Weeknight Recipes", "privacy": "SECRET"})
    assert renamed.status_code == 200
    assert renamed.json() == {**board, "name": "Weeknight Recipes", "privacy": "SECRET"}
    publish = {
        "text": "Weeknight dinner idea: sheet-pan salmon.",
        "media_ids": [IMAGE],
        "targets": [{"account_id": PINTEREST, "board_id": board["board_id"]}],
    }
    assert client.post("/v1/posts/validate", json=publish).json()["valid"] is True

    assert client.delete(f"{BOARDS}/{board['id']}").status_code == 204
    assert board["id"] not in {b["id"] for b in client.get(BOARDS).json()["data"]}
    assert client.delete(f"{BOARDS}/{board['id']}").status_code == 404


def test_board_writes_refuse_what_the_reference_refuses(client: httpx.Client) -> None:
    assert client.post(BOARDS, json={"description": "no name"}).status_code == 400
    assert client.post(BOARDS, json={"name": "x", "privacy": "FRIENDS"}).status_code == 400
    protected = client.post(BOARDS, json={"name": "Vault", "privacy": "PROTECTED"}).json()
    # Update accepts PUBLIC or SECRET only, and a PROTECTED board's privacy cannot change.
    assert client.patch(f"{BOARDS}/8828", json={"privacy": "PROTECTED"}).status_code == 400
    stuck = client.patch(f"{BOARDS}/{protected['id']}", json={"privacy": "SECRET"})
    assert stuck.status_code == 400 and stuck.json()["error"]["meta"]["field"] == "privacy"
    assert client.patch(f"{BOARDS}/999", json={"name": "x"}).status_code == 404
    instagram = client.post(f"/v1/accounts/{ACCOUNTS['instagram']}/boards", json={"name": "x"})
    assert instagram.status_code == 400 and instagram.json()["error"]["code"] == "account.unsupported_platform"
    assert client.post("/v1/accounts/acc_01JGKBPBGXZTJXBMYW7H6DE0ZZ/boards", json={"name": "x"}).status_code == 404


def test_a_pinterest_account_that_needs_reconnecting_gets_403(server: MockServer, client: httpx.Client) -> None:
    client.post(f"/_mock/accounts/{PINTEREST}/expire", json={})
    refused = client.post(BOARDS, json={"name": "Recipes"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "account.reconnection_required"


def test_board_writes_are_not_in_2026_06_22() -> None:
    older = MockServer(Settings())
    with httpx.Client(transport=sync_transport(older.app), base_url="http://mock", headers=AUTH) as http:
        assert http.post(BOARDS, json={"name": "Recipes"}).status_code == 404
        assert http.get(BOARDS).status_code == 200
