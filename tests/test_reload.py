"""Live reload: ``POST /_mock/reload`` and ``serve --watch`` move every tenant onto edited files.

Posts, clock and journal stay; a bad edit is reported by file and field and changes nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS
from tests.test_serve_process import serve

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("sapi_key_reload_a", "sapi_key_reload_b")
INSTAGRAM = ACCOUNTS["instagram"]
FACEBOOK = ACCOUNTS["facebook"]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
    shutil.copy(ROOT / "scenarios" / "facebook-down.yaml", tmp_path / "scenario.yaml")
    return tmp_path


@pytest.fixture
def server(files: Path) -> MockServer:
    return MockServer(Settings(fixtures_dir=files / "fixtures", scenario_files=(files / "scenario.yaml",)))


@pytest.fixture
def tenants(server: MockServer) -> Iterator[list[httpx.Client]]:
    clients = [
        httpx.Client(
            transport=sync_transport(server.app), base_url="http://mock", headers={"Authorization": f"Bearer {key}"}
        )
        for key in KEYS
    ]
    yield clients
    for client in clients:
        client.close()


def rename_instagram(files: Path, name: str) -> None:
    accounts = files / "fixtures" / "accounts.yaml"
    accounts.write_text(accounts.read_text().replace("name: Acme Coffee\n", f"name: {name}\n", 1))


def instagram_name(client: httpx.Client) -> str:
    accounts = client.get("/v1/accounts").json()["data"]
    return str(next(a["name"] for a in accounts if a["id"] == INSTAGRAM))


def story_so_far(client: httpx.Client) -> tuple[list[str], str, list[str]]:
    """Posts, clock and journal; the journal is read first, so this very read is not in it."""
    journal = [entry["request_id"] for entry in client.get("/_mock/requests").json()["data"]]
    posts = [p["id"] for p in client.get("/v1/posts").json()["data"]]
    return posts, client.get("/_mock/clock").json()["now"], journal


def assert_kept(before: tuple[list[str], str, list[str]], after: tuple[list[str], str, list[str]]) -> None:
    assert after[:2] == before[:2], "posts and clock"
    assert after[2][: len(before[2])] == before[2], "the journal lost entries"


def test_a_good_edit_reaches_every_tenant_and_keeps_posts_clock_and_journal(
    files: Path, tenants: list[httpx.Client]
) -> None:
    for client in tenants:
        client.post("/v1/posts", json={"text": "before the edit", "targets": [{"account_id": INSTAGRAM}]})
        client.post("/_mock/clock/advance", json={"seconds": 3600})
    before = [story_so_far(client) for client in tenants]

    rename_instagram(files, "Acme Renamed")
    reloaded = tenants[0].post("/_mock/reload")

    assert reloaded.status_code == 200
    assert reloaded.json() == {"success": True, "accounts": 10, "media": 4, "scenarios": ["facebook-down"]}
    assert [instagram_name(client) for client in tenants] == ["Acme Renamed", "Acme Renamed"]
    for client, story in zip(tenants, before, strict=True):
        assert_kept(story, story_so_far(client))
    # A reset now starts from the edited files.
    tenants[1].post("/_mock/reset")
    assert instagram_name(tenants[1]) == "Acme Renamed"


def test_a_bad_edit_names_file_and_field_and_the_last_good_configuration_stays(
    files: Path, tenants: list[httpx.Client]
) -> None:
    client = tenants[0]
    client.post("/v1/posts", json={"text": "kept"})
    rename_instagram(files, "Good Name")
    assert client.post("/_mock/reload").status_code == 200
    before = story_so_far(client)

    accounts = files / "fixtures" / "accounts.yaml"
    accounts.write_text(accounts.read_text().replace("platform: instagram", "platform: myspace", 1))
    refused = client.post("/_mock/reload")

    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "mock.reload_failed"
    assert f"{accounts}: accounts[0].platform:" in error["message"]
    assert error["message"].endswith("the last good configuration stays in force")
    assert instagram_name(client) == "Good Name"
    assert_kept(before, story_so_far(client))


def test_scenario_edits_apply_and_a_broken_scenario_keeps_the_old_one(files: Path, tenants: list[httpx.Client]) -> None:
    client = tenants[0]
    client.put("/_mock/scenarios", json={"name": "threads-slow"})
    scenario = files / "scenario.yaml"
    scenario.write_text(scenario.read_text().replace("platform: facebook", "platform: linkedin"))
    assert client.post("/_mock/reload").status_code == 200

    active = client.get("/_mock/scenarios").json()["data"]
    assert [doc["name"] for doc in active] == ["facebook-down", "threads-slow"], "a scenario PUT by the tenant stays"
    assert active[0]["deliveries"][0]["match"]["platform"] == "linkedin"

    scenario.write_text(scenario.read_text().replace("category: platform", "category: weather"))
    refused = client.post("/_mock/reload")
    assert refused.status_code == 422
    assert f"{scenario}: deliveries[0].fail.category" in refused.json()["error"]["message"]
    assert client.get("/_mock/scenarios").json()["data"][0]["deliveries"][0]["match"]["platform"] == "linkedin"


def test_what_the_tenant_changed_itself_survives_an_unrelated_edit(files: Path, tenants: list[httpx.Client]) -> None:
    client = tenants[0]
    client.patch("/_mock/tenant", json={"plan": "free", "posts_limit": 5, "posts_used": 2})
    rename_instagram(files, "Unrelated Edit")
    assert client.post("/_mock/reload").status_code == 200
    plan = client.get("/_mock/tenant").json()
    assert (plan["plan"], plan["posts_used"]) == ("free", 2)


def test_watch_reloads_on_save_and_reports_a_bad_save(files: Path, tmp_path: Path) -> None:
    args = ("--watch", "--fixtures", str(files / "fixtures"), "--scenario", str(files / "scenario.yaml"))
    with (
        serve(tmp_path, *args) as served,
        httpx.Client(base_url=served.url, headers={"Authorization": f"Bearer {KEYS[0]}"}) as client,
    ):
        post = client.post("/v1/posts", json={"text": "survives"}).json()["id"]
        client.post("/_mock/clock/advance", json={"seconds": 60})
        rename_instagram(files, "Watched Edit")
        served.wait_for("socialapi-mock: reloaded:")
        assert instagram_name(client) == "Watched Edit"

        accounts = files / "fixtures" / "accounts.yaml"
        accounts.write_text(accounts.read_text().replace(f"id: {FACEBOOK}", "id: acc_bad", 1))
        log = served.wait_for("reload failed")
        assert f"{accounts}: accounts[1].id:" in log
        assert "the last good configuration stays in force" in log
        assert instagram_name(client) == "Watched Edit"
        assert [p["id"] for p in client.get("/v1/posts").json()["data"]] == [post]
        assert client.get("/_mock/clock").json()["now"] == "2026-01-01T00:01:00Z"


NEW_BRAND = "9c7e2b1a-3f4d-4a5b-8c6d-7e8f9a0b1c2d"
NEW_ACCOUNT = "acc_01JH0000000000000000000NEW"
NEW_PAGE = "sapi_page_01JH00000000000000000NEWP"


def add_a_facebook_account_with_its_own_brand(files: Path) -> None:
    accounts = files / "fixtures" / "accounts.yaml"
    text = accounts.read_text()
    brand = "{id: 4b0f3c1e-5d2a-4e8b-9a71-2c6d8e0f1a23, name: Acme Coffee}"
    text = text.replace(f"brands: [{brand}]", f"brands: [{brand}, {{id: {NEW_BRAND}, name: Beta Bakery}}]")
    text += (
        f"  - id: {NEW_ACCOUNT}\n"
        "    platform: facebook\n"
        "    name: Beta Bakery\n"
        "    username: betabakery\n"
        '    platform_user_id: "104857600000777"\n'
        f"    brand_id: {NEW_BRAND}\n"
        "    pages:\n"
        f"      - id: {NEW_PAGE}\n"
        "        name: Beta Bakery Page\n"
        '        platform_page_id: "104857600000778"\n'
        "        is_default: true\n"
    )
    accounts.write_text(text)


def test_a_new_brand_and_page_reach_existing_tenants_and_publishing_to_the_new_account_works(
    files: Path, tenants: list[httpx.Client]
) -> None:
    for client in tenants:
        assert client.get("/v1/brands").status_code == 200  # the tenant exists before the edit
    add_a_facebook_account_with_its_own_brand(files)
    assert tenants[0].post("/_mock/reload").status_code == 200
    for client in tenants:
        brands = {b["id"]: b for b in client.get("/v1/brands").json()["data"]}
        assert brands[NEW_BRAND]["name"] == "Beta Bakery" and brands[NEW_BRAND]["accounts_count"] == 1
        pages = client.get(f"/v1/accounts/{NEW_ACCOUNT}/pages").json()["data"]
        assert [p["id"] for p in pages] == [NEW_PAGE]
        client.delete("/_mock/scenarios/facebook-down")  # this file set's scenario fails every Facebook post
        created = client.post(
            "/v1/posts", json={"text": "hello from the new page", "targets": [{"account_id": NEW_ACCOUNT}]}
        )
        assert created.status_code == 201, created.text
        published = client.post(f"/v1/posts/{created.json()['id']}/publish")
        assert published.status_code == 201, published.text
        [target] = published.json()["targets"]
        assert (target["status"], target["page_id"]) == ("published", NEW_PAGE)
