"""The team's part of the state document: a document saved before it existed still loads."""

from __future__ import annotations

import httpx

from mockserver import MockServer


def test_a_state_document_without_the_team_part_loads_with_a_fresh_team(
    server: MockServer, client: httpx.Client
) -> None:
    client.post("/v1/posts", json={"text": "kept"})
    document = client.get("/_mock/state").json()
    team = document["state"].pop("team")
    client.post("/_mock/reset")
    restored = client.put("/_mock/state", json=document)
    assert restored.status_code == 200, restored.text
    assert [p["text"] for p in client.get("/v1/posts").json()["data"]] == ["kept"]
    assert client.get("/_mock/state").json()["state"]["team"] == team


def test_a_document_missing_another_part_is_still_refused(client: httpx.Client) -> None:
    document = client.get("/_mock/state").json()
    del document["state"]["media"]
    refused = client.put("/_mock/state", json=document)
    assert refused.status_code == 400 and refused.json()["error"]["meta"] == {"field": "state.media"}
