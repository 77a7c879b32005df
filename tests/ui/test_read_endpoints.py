"""The control-plane reads the inspector uses: thin over the backend, and invisible to the app under test."""

from __future__ import annotations

import json
import struct

import httpx
import pytest

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, AUTH, IMAGE, target


def test_the_clock_names_the_next_due_instant_and_its_speed(client: httpx.Client) -> None:
    assert client.get("/_mock/clock").json() == {
        "now": "2026-01-01T00:00:00Z",
        "mode": "manual",
        "speed": 1.0,
        "next_due": None,
    }
    for hour in (14, 9):
        client.post(
            "/v1/posts",
            json={
                "text": f"at {hour}",
                "scheduled_at": f"2026-01-02T{hour:02}:00:00Z",
                "targets": [target("linkedin")],
            },
        )
    assert client.get("/_mock/clock").json()["next_due"] == "2026-01-02T09:00:00Z"
    client.post("/_mock/clock/advance", json={"to": "2026-01-02T09:00:00Z"})
    assert client.get("/_mock/clock").json()["next_due"] == "2026-01-02T14:00:00Z"
    client.post("/_mock/clock/advance", json={"seconds": 86400})
    assert client.get("/_mock/clock").json()["next_due"] is None


def test_a_cancelled_or_moved_post_is_not_the_next_due(client: httpx.Client) -> None:
    post = client.post(
        "/v1/posts", json={"text": "moved", "scheduled_at": "2026-01-02T09:00:00Z", "targets": [target("linkedin")]}
    ).json()
    client.patch(f"/v1/posts/{post['id']}", json={"scheduled_at": "2026-01-05T10:00:00Z"})
    assert client.get("/_mock/clock").json()["next_due"] == "2026-01-05T10:00:00Z"
    client.delete(f"/v1/posts/{post['id']}")
    assert client.get("/_mock/clock").json()["next_due"] is None


def test_tenants_lists_every_tenant_without_an_api_key(server: MockServer) -> None:
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as anonymous:
        assert anonymous.get("/_mock/tenants").json() == {"data": []}
        anonymous.post("/v1/posts", json={"text": "x"}, headers={"Authorization": "Bearer sapi_key_b"})
        anonymous.get("/v1/posts", headers={"Authorization": "Bearer sapi_key_a"})
        assert anonymous.get("/_mock/tenants").json() == {
            "data": [
                {"key": "sapi_key_b", "posts": 1, "now": "2026-01-01T00:00:00Z"},
                {"key": "sapi_key_a", "posts": 0, "now": "2026-01-01T00:00:00Z"},
            ]
        }


def test_tenants_needs_the_control_token_when_there_is_one() -> None:
    server = MockServer(Settings(control_token="t0ken"))
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as anonymous:
        refused = anonymous.get("/_mock/tenants")
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "auth.invalid_token"
        assert anonymous.get("/_mock/tenants", headers={"X-Mock-Token": "t0ken"}).status_code == 200


def test_the_inspector_reads_stay_out_of_the_journal_and_out_of_request_scenarios(client: httpx.Client) -> None:
    post = client.post("/v1/posts", json={"text": "watched", "targets": [target("linkedin")]}).json()
    scenario = {
        "name": "list-fails-once",
        "description": "the first GET of a post fails",
        "requests": [
            {
                "match": {"method": "GET", "path": "/v1/posts/{pid}"},
                "times": 1,
                "respond": {"status": 503, "code": "system.internal", "message": "down"},
            }
        ],
    }
    client.put("/_mock/scenarios", json=scenario)
    assert client.get("/_mock/posts").json()["data"][0]["id"] == post["id"]
    watched = [client.get(f"/_mock/posts/{post['id']}") for _ in range(3)]
    assert [r.status_code for r in watched] == [200, 200, 200]
    # Watching did not use up the scenario: the app's own first read still gets the 503.
    assert client.get(f"/v1/posts/{post['id']}").status_code == 503
    assert client.get(f"/v1/posts/{post['id']}").json() == watched[0].json()
    paths = [entry["path"] for entry in client.get("/_mock/requests").json()["data"]]
    assert "/_mock/posts" not in paths and f"/_mock/posts/{post['id']}" not in paths


def test_the_preview_measures_each_platform_in_its_own_unit(client: httpx.Client) -> None:
    emoji_text = "🚀" * 150  # 150 characters, 300 UTF-16 code units
    post = client.post(
        "/v1/posts",
        json={
            "text": emoji_text,
            "first_comment": "link in bio",
            "media_ids": [IMAGE],
            "targets": [target("twitter"), target("tiktok"), target("instagram")],
        },
    ).json()
    previews = {p["platform"]: p for p in client.get(f"/_mock/posts/{post['id']}/preview").json()["data"]}
    x, tiktok, instagram = previews["twitter"], previews["tiktok"], previews["instagram"]
    assert (x["segments"][0]["length"], x["segments"][0]["limit"], x["unit"]) == (150, 280, "characters")
    assert (tiktok["segments"][0]["length"], tiktok["segments"][0]["limit"]) == (300, 2200)
    assert tiktok["unit"] == "UTF-16 code units"
    assert x["segments"][0]["media"] == [] and any("text only" in note for note in x["notes"])
    assert x["first_comment"] is None and instagram["first_comment"] == "link in bio"
    [picture] = instagram["segments"][0]["media"]
    assert (picture["id"], picture["type"]) == (IMAGE, "image")
    assert picture["thumbnail_url"].startswith(f"/_mock/media/{IMAGE}/thumbnail?token=")


def test_a_fixture_image_has_a_real_thumbnail_the_same_on_every_run(client: httpx.Client) -> None:
    post = client.post("/v1/posts", json={"text": "pic", "media_ids": [IMAGE], "targets": [target("linkedin")]}).json()
    [preview] = client.get(f"/_mock/posts/{post['id']}/preview").json()["data"]
    url = preview["segments"][0]["media"][0]["thumbnail_url"]
    first, again = client.get(url), client.get(url)
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    assert first.content == again.content and first.content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", first.content[16:24])
    assert (width, height) == (200, 200) and b"IDAT" in first.content
    refused = client.get(url.replace("token=", "token=x"))
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "media.not_found"


def test_a_fixture_image_loads_for_every_tenant_after_one_restored_its_state(client: httpx.Client) -> None:
    state = client.get("/_mock/state").content
    assert client.put("/_mock/state", content=state, headers={"Content-Type": "application/json"}).status_code == 200
    other = {"Authorization": "Bearer sapi_key_someone_else"}
    pic = {"text": "pic", "media_ids": [IMAGE], "targets": [target("linkedin")]}
    post = client.post("/v1/posts", json=pic, headers=other).json()
    [preview] = client.get(f"/_mock/posts/{post['id']}/preview", headers=other).json()["data"]
    thumbnail = preview["segments"][0]["media"][0]["thumbnail_url"]
    assert client.get(thumbnail).status_code == 200
    listed = client.get("/v1/media", headers=other).json()["data"]
    assert client.get(next(item["url"] for item in listed if item["id"] == IMAGE)).status_code == 200


def test_the_preview_names_the_author_as_the_feed_does_and_folds_the_text_where_it_folds(
    client: httpx.Client,
) -> None:
    long_text = "Fresh beans every morning " * 10  # 260 characters
    post = client.post(
        "/v1/posts",
        json={"text": long_text, "targets": [target("twitter"), target("linkedin"), target("facebook")]},
    ).json()
    previews = {p["platform"]: p for p in client.get(f"/_mock/posts/{post['id']}/preview").json()["data"]}
    x, linkedin, facebook = previews["twitter"], previews["linkedin"], previews["facebook"]
    assert (x["platform_name"], x["author_name"], x["handle"]) == ("X", "Acme Coffee", "@acme_coffee")
    assert x["media_first"] is False and linkedin["media_first"] is False
    # LinkedIn names the page the post goes to, without a handle; Facebook the default page.
    assert (linkedin["author_name"], linkedin["handle"]) == ("Acme Coffee", None)
    assert (facebook["author_name"], facebook["handle"]) == ("Acme Coffee Roasters", None)
    cut = linkedin["segments"][0]
    assert cut["folded"] is True and cut["text"] == long_text and linkedin["more_label"] == "see more"
    assert long_text.startswith(cut["folded_text"]) and len(cut["folded_text"]) <= 210
    assert cut["folded_text"].endswith("morning")  # cut between words
    # Facebook shows 480 characters before "See more": this text is whole.
    assert facebook["segments"][0]["folded"] is False and facebook["segments"][0]["folded_text"] == long_text


def test_the_preview_threads_segments_where_the_platform_threads(client: httpx.Client) -> None:
    post = client.post(
        "/v1/posts",
        json={
            "text": "1/ root",
            "segments": [{"text": "2/ more"}, {"text": "3/ end"}],
            "targets": [target("threads"), target("linkedin")],
        },
    ).json()
    previews = {p["platform"]: p for p in client.get(f"/_mock/posts/{post['id']}/preview").json()["data"]}
    assert [s["text"] for s in previews["threads"]["segments"]] == ["1/ root", "2/ more", "3/ end"]
    assert [s["text"] for s in previews["linkedin"]["segments"]] == ["1/ root"]
    assert "segments are dropped" in previews["linkedin"]["notes"][0]
    missing = client.get("/_mock/posts/p_missing/preview")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "post.not_found"


def test_a_bundled_scenario_is_switched_on_and_off_by_name(client: httpx.Client) -> None:
    library = {s["name"]: s for s in client.get("/_mock/scenarios/library").json()["data"]}
    assert library["facebook-down"]["active"] is False and library["facebook-down"]["description"]
    client.put("/_mock/scenarios", json={"name": "facebook-down"})
    library = {s["name"]: s for s in client.get("/_mock/scenarios/library").json()["data"]}
    assert library["facebook-down"]["active"] is True
    assert client.delete("/_mock/scenarios/facebook-down").json() == {"data": []}
    again = client.delete("/_mock/scenarios/facebook-down")
    assert again.status_code == 404 and again.json()["error"]["code"] == "scenario.not_active"


@pytest.mark.parametrize("content_type", ["application/yaml", "text/yaml", "application/x-yaml"])
def test_a_yaml_scenario_is_accepted_and_its_errors_name_the_field(client: httpx.Client, content_type: str) -> None:
    good = (
        "name: mine\ndescription: facebook fails\ndeliveries:\n  - match: {platform: facebook}\n"
        "    fail: {code: platform.facebook.down, message: down, category: platform}\n"
    )
    answer = client.put("/_mock/scenarios", content=good, headers={"Content-Type": content_type})
    assert answer.status_code == 200 and answer.json()["data"][0]["name"] == "mine"
    bad = good.replace("platform: facebook}", "platform: facebok}")
    refused = client.put("/_mock/scenarios", content=bad, headers={"Content-Type": content_type})
    assert refused.status_code == 400
    assert refused.json()["error"]["meta"]["field"] == "deliveries[0].match.platform"
    assert "deliveries[0].match.platform" in refused.json()["error"]["message"]
    broken = client.put("/_mock/scenarios", content="name: [unclosed", headers={"Content-Type": content_type})
    assert broken.status_code == 400 and "invalid YAML" in broken.json()["error"]["message"]


def test_webhooks_and_deliveries_are_readable_through_the_control_plane(client: httpx.Client) -> None:
    hook = client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["post.published"]}).json()
    assert [h["id"] for h in client.get("/_mock/webhooks").json()["data"]] == [hook["id"]]
    assert (
        client.get(f"/_mock/webhooks/{hook['id']}/deliveries").json()
        == client.get(f"/v1/webhooks/{hook['id']}/deliveries").json()
    )


def test_accounts_fixture_ids_used_here_exist() -> None:
    assert {"twitter", "tiktok", "instagram", "threads", "linkedin"} <= set(ACCOUNTS)
    assert AUTH


def test_the_journal_keeps_each_response_and_the_latency_the_mock_imposed(client: httpx.Client) -> None:
    slow = {
        "name": "slow-linkedin",
        "description": "LinkedIn deliveries take 30 ms",
        "deliveries": [{"match": {"platform": "linkedin"}, "latency_ms": 30}],
    }
    assert client.put("/_mock/scenarios", json=slow).status_code == 200
    created = client.post("/v1/posts", json={"text": "journal response"}).json()
    published = client.post("/v1/posts", json={"text": "slow", "publish_now": True, "targets": [target("linkedin")]})
    client.get("/v1/posts/p_nope")
    entries = client.get("/_mock/requests").json()["data"]
    create, publish, missing = entries[-3:]
    assert create["response_body"] == created and create["latency_ms"] == 0
    assert create["response_size"] == len(json.dumps(created, separators=(",", ":"), ensure_ascii=False).encode())
    assert publish["latency_ms"] == 30 and publish["response_body"] == published.json()
    assert missing["status"] == 404 and missing["response_body"]["error"]["code"] == "post.not_found"


def test_the_outbox_can_be_read_as_its_newest_records(client: httpx.Client) -> None:
    for number in range(3):
        client.post("/v1/posts", json={"text": f"n{number}", "publish_now": True, "targets": [target("linkedin")]})
    everything = client.get("/_mock/events").json()["data"]
    assert client.get("/_mock/events", params={"limit": 2}).json()["data"] == everything[-2:]
    refused = client.get("/_mock/events", params={"limit": 0})
    assert refused.status_code == 400 and refused.json()["error"]["meta"]["field"] == "limit"


def test_a_short_caption_of_many_lines_is_folded_after_the_lines_the_feed_shows(client: httpx.Client) -> None:
    caption = "New hours\nMon-Fri 7-18\nSat 8-14\nSun closed"
    post = client.post(
        "/v1/posts",
        json={
            "text": caption,
            "media_ids": [IMAGE],
            "targets": [target("instagram", platform_data={"content_type": "feed"}), target("threads")],
        },
    ).json()
    previews = {p["platform"]: p for p in client.get(f"/_mock/posts/{post['id']}/preview").json()["data"]}
    instagram, threads = previews["instagram"]["segments"][0], previews["threads"]["segments"][0]
    assert (instagram["folded"], instagram["folded_text"]) == (True, "New hours\nMon-Fri 7-18")
    assert (threads["folded"], threads["folded_text"]) == (False, caption)
    # Instagram puts the picture above the caption, Threads below it.
    assert previews["instagram"]["media_first"] is True and previews["threads"]["media_first"] is False
