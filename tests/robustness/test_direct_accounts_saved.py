"""Telegram and Bluesky accounts, connected through the public API, survive the state file and PUT /_mock/state."""

from __future__ import annotations

from pathlib import Path

from mockserver import MockServer
from mockserver.api.state import load_state_file, save_state_file
from tests.robustness.helpers import client

KEY = "sapi_key_direct"
DIRECT = [
    {"platform": "telegram", "metadata": {"bot_token": "123456789:AAEhBP0av28hGmAasPdkGf4d"}},
    {"platform": "bluesky", "metadata": {"identifier": "acme.bsky.social", "app_password": "abcd-efgh"}},
]


def connected_server() -> tuple[MockServer, list[str]]:
    server = MockServer()
    with client(server, KEY) as http:
        answers = [http.post("/v1/accounts/connect", json=body) for body in DIRECT]
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    return server, [a.json()["account_id"] for a in answers]


def accounts(server: MockServer) -> list[dict[str, object]]:
    with client(server, KEY) as http:
        listed: list[dict[str, object]] = http.get("/_mock/state").json()["state"]["accounts"]["items"]
        return listed


def test_a_state_file_with_direct_accounts_loads_at_the_next_start(tmp_path: Path) -> None:
    server, ids = connected_server()
    state_file = tmp_path / "state.json"
    save_state_file(server, state_file)
    restarted = MockServer()
    assert load_state_file(restarted, state_file) == 1
    with client(restarted, KEY) as http:
        listed = {a["id"]: a["platform"] for a in http.get("/v1/accounts", params={"limit": 100}).json()["data"]}
    assert [listed[i] for i in ids] == ["telegram", "bluesky"]
    assert accounts(restarted) == accounts(server)


def test_put_state_takes_direct_accounts() -> None:
    server, _ = connected_server()
    with client(server, KEY) as source, client(MockServer(), KEY) as target:
        document = source.get("/_mock/state")
        restored = target.put("/_mock/state", content=document.content, headers={"Content-Type": "application/json"})
        assert restored.status_code == 200, restored.text
        assert target.get("/_mock/state").json()["state"]["accounts"] == document.json()["state"]["accounts"]
