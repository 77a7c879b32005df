"""Caps (issue 12): every cap of the mock is answered in the envelope, and what is under it keeps working."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.cli import main
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.posts.csv_rows import MAX_IMPORT_ROWS
from mockserver.core.scenarios import MAX_DOCUMENTS, MAX_RULES
from mockserver.webhook_sender import MAX_SENDS_PER_TENANT, WebhookSender
from tests.conftest import ACCOUNTS
from tests.robustness.helpers import client

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_a_new_key_past_max_tenants_gets_429_and_existing_tenants_keep_working() -> None:
    server = MockServer(Settings(max_tenants=3))
    for n in range(3):
        with client(server, f"sapi_key_t{n}") as http:
            assert http.post("/v1/posts", json={"text": f"t{n}"}).status_code == 201
    with client(server, "sapi_key_one_too_many") as http:
        refused = http.get("/v1/posts")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "mock.tenant_limit"
    assert refused.json()["error"]["meta"] == {"limit": 3} and "--max-tenants" in refused.json()["error"]["message"]
    for n in range(3):
        with client(server, f"sapi_key_t{n}") as http:
            assert [p["text"] for p in http.get("/v1/posts").json()["data"]] == [f"t{n}"]
    assert len(list(server.tenants())) == 3


def test_the_media_budget_is_shared_by_every_tenant() -> None:
    server = MockServer(Settings(max_media_bytes=len(PNG) * 3))
    stored = []
    for n in range(4):
        with client(server, f"sapi_key_media{n}") as http:
            stored.append(http.post("/v1/media/upload", files={"file": ("a.png", PNG, "image/png")}))
    assert [r.status_code for r in stored] == [201, 201, 201, 429]
    assert stored[3].json()["error"]["code"] == "mock.media_limit"
    with client(server, "sapi_key_media0") as http:
        assert http.delete(f"/v1/media/{stored[0].json()['media_id']}").status_code == 204
    with client(server, "sapi_key_media3") as http:
        assert http.post("/v1/media/upload", files={"file": ("a.png", PNG, "image/png")}).status_code == 201


def _csv(rows: int, text: str = "hello") -> bytes:
    return ("text,account_ids\n" + "".join(f"{text} {n},{ACCOUNTS['linkedin']}\n" for n in range(rows))).encode()


def test_a_csv_import_past_the_row_cap_is_refused_whole(server: MockServer) -> None:
    with client(server, "sapi_key_csv") as http:
        refused = http.post("/v1/posts/import", files={"file": ("p.csv", _csv(MAX_IMPORT_ROWS + 1), "text/csv")})
        assert refused.status_code == 400
        assert refused.json()["error"]["meta"]["field"] == "file"
        assert f"more than {MAX_IMPORT_ROWS} rows" in refused.json()["error"]["message"]
        assert http.get("/v1/posts").json()["data"] == []
        long_text = http.post("/v1/posts/import", files={"file": ("p.csv", _csv(1, "x" * 100_001), "text/csv")})
    assert long_text.json()["created"] == 0
    assert "at most 100000 characters" in long_text.json()["errors"][0]["message"]


def _document(name: str, rules: int = 1) -> dict[str, Any]:
    fail = {"code": "platform.twitter.down", "message": "down", "category": "platform", "caused_by": "platform"}
    rule = {"match": {"platform": "twitter"}, "fail": fail}
    return {"name": name, "description": "d", "deliveries": [rule] * rules}


def test_scenario_documents_and_rules_per_tenant_are_capped(server: MockServer) -> None:
    with client(server, "sapi_key_scenarios") as http:
        for n in range(MAX_DOCUMENTS):
            assert http.put("/_mock/scenarios", json=_document(f"doc-{n}")).status_code == 200
        refused = http.put("/_mock/scenarios", json=_document("one-more"))
        assert refused.status_code == 429 and refused.json()["error"]["code"] == "mock.scenario_limit"
        # Replacing an active document by name is not a new one.
        assert http.put("/_mock/scenarios", json=_document("doc-0")).status_code == 200
        assert http.delete("/_mock/scenarios").status_code == 200
        too_many_rules = http.put("/_mock/scenarios", json=_document("big", MAX_RULES + 1))
        assert too_many_rules.status_code == 400 and too_many_rules.json()["error"]["meta"]["field"] == "deliveries"


def test_capability_urls_find_their_tenant_without_asking_every_tenant(monkeypatch: pytest.MonkeyPatch) -> None:
    server = MockServer()
    with client(server, "sapi_key_owner") as http:
        slot = http.get("/v1/media/upload-url", params={"media_type": "image/png", "filename": "a.png"}).json()
        media_id = http.post("/v1/media/upload", files={"file": ("b.png", PNG, "image/png")}).json()["media_id"]
        url = http.get("/v1/media").json()["data"][0]["url"]
    for n in range(50):
        server.tenant(f"sapi_key_other{n}")
    with httpx.Client(transport=client(server, "x")._transport) as anonymous:
        put = anonymous.put(slot["upload_url"], content=PNG, headers={"Content-Type": "image/png"})
        assert put.status_code == 200
        assert anonymous.put(slot["upload_url"] + "0", content=PNG).status_code == 403

    def no_scan() -> None:
        raise AssertionError("a capability URL scanned every tenant")

    monkeypatch.setattr(server, "tenants", no_scan)
    with httpx.Client(transport=client(server, "x")._transport) as anonymous:
        got = anonymous.get(url)
        assert got.status_code == 200 and got.content == PNG and media_id in url
        wrong = anonymous.get(url.replace("token=", "token=0"))
        assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "media.not_found"


def test_webhook_sends_to_a_receiver_that_never_answers_are_capped_per_tenant() -> None:
    server = MockServer()
    backend = server.tenant("sapi_key_hooks")
    backend.webhooks.create_webhook("https://example.com/never", ["post.published"])
    for n in range(40):
        backend.posts.create_post(NewPost(text=f"p{n}", targets=(NewTarget(ACCOUNTS["linkedin"]),), publish_now=True))
    in_flight = 0
    most = 0

    async def never_answers(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            await asyncio.sleep(3600)
        finally:
            in_flight -= 1
        raise AssertionError("unreachable")

    sender = WebhookSender(server, transport=httpx.MockTransport(never_answers), timeout=0.2)

    async def scenario() -> int:
        sender.kick(backend)
        sender.kick(backend)  # a second kick while the first drain runs starts nothing
        await asyncio.sleep(0.1)
        assert len(sender._tasks) == 1
        return most

    assert asyncio.run(scenario()) == MAX_SENDS_PER_TENANT


def test_every_new_cli_option_names_its_default_and_variable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"], environ={})
    text = " ".join(capsys.readouterr().out.split())
    for option, variable, default in [
        ("--max-tenants", "MOCKSERVER_MAX_TENANTS", "10,000"),
        ("--max-media-bytes", "MOCKSERVER_MAX_MEDIA_BYTES", "2,147,483,648"),
        ("--limit-concurrency", "MOCKSERVER_LIMIT_CONCURRENCY", "512"),
        ("--request-timeout", "MOCKSERVER_REQUEST_TIMEOUT", "30"),
        ("--max-header-bytes", "MOCKSERVER_MAX_HEADER_BYTES", "65,536"),
        ("--shutdown-timeout", "MOCKSERVER_SHUTDOWN_TIMEOUT", "10"),
        ("--state-save-interval", "MOCKSERVER_STATE_SAVE_INTERVAL", "0"),
    ]:
        assert option in text and f"(default: {default}" in text and variable in text, option
