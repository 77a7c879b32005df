"""Analytics exports: jobs that progress on the fake clock, within the plan's allowance."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from socialapi import AsyncSocialAPI, BadRequestError, NotFoundError, SocialAPI

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import ACCOUNTS, API_KEY, AUTH

TIKTOK = ACCOUNTS["tiktok"]


def advance(client: httpx.Client, seconds: int) -> None:
    client.post("/_mock/clock/advance", json={"seconds": seconds})


def test_an_export_progresses_on_the_fake_clock(sdk: SocialAPI, client: httpx.Client) -> None:
    export = sdk.accounts.export(TIKTOK)
    assert (export.status, export.processed_videos, export.platform) == ("pending", 0, "tiktok")
    total = export.total_videos or 0
    assert total > 0
    advance(client, 30 + 2 * 3)
    running = export.refresh()
    assert (running.status, running.processed_videos) == ("processing", 3)
    with pytest.raises(NotFoundError, match="is processing"):
        running.list_videos()
    advance(client, 2 * total)
    done = sdk.exports.get(export.id or "")
    assert (done.status, done.processed_videos) == ("completed", total)
    assert done.completed_at is not None and done.expires_at is not None
    assert (done.expires_at - done.completed_at).days == 30
    assert done.result is not None and done.result.excel_url
    videos = done.list_videos()
    assert len(videos) == total and videos[0].id and videos[0].url and videos[0].transcript is None
    assert [e.id for e in sdk.exports.list(status="completed")] == [export.id]
    assert sdk.exports.list(status="pending") == []


def test_the_sdk_sends_no_body_without_options_and_one_with_them(server: MockServer, client: httpx.Client) -> None:
    sdk = SocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=client)
    sdk.accounts.export(TIKTOK)
    advance(client, 3600)
    with_options = sdk.accounts.export(TIKTOK, include_transcript=True, include_vision=True)
    advance(client, 3600)
    videos = sdk.exports.list_videos(with_options.id or "")
    assert all(v.transcript for v in videos)
    raw = client.get(f"/v1/exports/{with_options.id}/videos").json()
    assert raw["videos"] == raw["data"] and raw["videos"][0]["vision_elements"]


def test_the_async_sdk_runs_an_export(server: MockServer) -> None:
    async def scenario() -> tuple[str | None, str | None, int]:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=server.app), base_url="http://mock", headers=AUTH
        ) as http:
            api = AsyncSocialAPI(api_key=API_KEY, base_url="http://mock", max_retries=0, http_client=http)
            export = await api.accounts.export(TIKTOK)
            await http.post("/_mock/clock/advance", json={"seconds": 3600})
            done = await export.refresh()
            listed = await api.exports.list()
            videos = await done.list_videos()
            same = await api.exports.list_videos(done.id or "")
            fetched = await api.exports.get(done.id or "")
            assert same == videos and listed[0].id == fetched.id
            return export.status, done.status, len(videos)

    first, then, count = asyncio.run(scenario())
    assert (first, then) == ("pending", "completed") and count > 0


def test_the_plan_caps_exports(client: httpx.Client) -> None:
    client.patch("/_mock/tenant", json={"plan": "free"})
    first = client.post(f"/v1/accounts/{TIKTOK}/export", json={"include_transcript": True}).json()
    assert first["total_videos"] <= 30
    busy = client.post(f"/v1/accounts/{TIKTOK}/export")
    assert (busy.status_code, busy.json()["error"]["code"]) == (429, "billing.export_concurrent")
    advance(client, 3600)
    videos = client.get(f"/v1/exports/{first['id']}/videos").json()["data"]
    assert sum(1 for v in videos if v["transcript"]) == min(10, len(videos)) and len(videos) > 10
    cooling = client.post(f"/v1/accounts/{TIKTOK}/export")
    assert (cooling.status_code, cooling.json()["error"]["code"]) == (429, "billing.export_cooldown")
    assert cooling.json()["error"]["meta"]["retry_after_seconds"] == 7 * 86_400 - 3600
    advance(client, 7 * 86_400)
    assert client.post(f"/v1/accounts/{TIKTOK}/export").status_code == 202
    advance(client, 7 * 86_400)
    quota = client.post(f"/v1/accounts/{TIKTOK}/export")
    assert (quota.status_code, quota.json()["error"]["code"]) == (429, "billing.export_limit")
    assert quota.json()["error"]["meta"] == {"plan": "free", "max": 2, "period": "month"}
    vision = client.post(f"/v1/accounts/{TIKTOK}/export", json={"include_vision": True})
    assert vision.status_code == 400 and vision.json()["error"]["meta"] == {"field": "include_vision"}


def test_exports_refuse_other_platforms_and_unknown_ids(sdk: SocialAPI, client: httpx.Client) -> None:
    with pytest.raises(BadRequestError, match="exports read tiktok accounts"):
        sdk.accounts.export(ACCOUNTS["instagram"])
    with pytest.raises(NotFoundError):
        sdk.accounts.export("acc_unknown")
    with pytest.raises(NotFoundError):
        sdk.exports.get("exp_unknown")
    assert client.get("/v1/exports", params={"status": "done"}).status_code == 400


def test_a_report_expires_after_the_plans_days(client: httpx.Client) -> None:
    export = client.post(f"/v1/accounts/{TIKTOK}/export").json()
    advance(client, 3600)
    assert client.get(f"/v1/exports/{export['id']}/videos").status_code == 200
    advance(client, 30 * 86_400)
    gone = client.get(f"/v1/exports/{export['id']}/videos")
    assert (gone.status_code, gone.json()["error"]["code"]) == (404, "export.expired")


def test_the_same_seed_gives_byte_identical_exports() -> None:
    def run() -> list[bytes]:
        server = MockServer(Settings(seed=7))
        with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as http:
            export = http.post(f"/v1/accounts/{TIKTOK}/export", json={"include_transcript": True})
            http.post("/_mock/clock/advance", json={"seconds": 45})
            middle = http.get("/v1/exports")
            http.post("/_mock/clock/advance", json={"seconds": 3600})
            videos = http.get(f"/v1/exports/{export.json()['id']}/videos")
            return [export.content, middle.content, videos.content]

    assert run() == run()


def test_one_long_advance_and_many_short_ones_give_the_same_progress(server: MockServer) -> None:
    def status_after(steps: list[int]) -> bytes:
        fresh = MockServer()
        with httpx.Client(transport=sync_transport(fresh.app), base_url="http://mock", headers=AUTH) as http:
            export_id = http.post(f"/v1/accounts/{TIKTOK}/export").json()["id"]
            for seconds in steps:
                http.post("/_mock/clock/advance", json={"seconds": seconds})
            return http.get(f"/v1/exports/{export_id}").content

    assert status_after([50]) == status_after([10] * 5)
    assert b'"processing"' in status_after([50])
