"""Presigned uploads above 50 MB: no API size limit, only the plan's storage quota (guides/media).

Above 50 MB the mock keeps an upload's size and digest, not its bytes, so such uploads cost no memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx
from socialapi import SocialAPI

from mockserver import MockServer, Settings
from mockserver.testing import sync_transport
from tests.conftest import AUTH

MB = 1024 * 1024
SIZE = 51 * MB


def chunks(size: int) -> Iterator[bytes]:
    block = b"\x00\x00\x00\x18ftypisom" + bytes(MB - 12)
    sent = 0
    while sent < size:
        piece = block[: min(MB, size - sent)]
        sent += len(piece)
        yield piece


def digest(size: int) -> str:
    md5 = hashlib.md5(usedforsecurity=False)
    for piece in chunks(size):
        md5.update(piece)
    return md5.hexdigest()


def test_a_51_mb_presigned_upload_is_verified_without_holding_its_bytes() -> None:
    # The mock holds at most 8 MB of media here: the 51 MB upload must not count against it.
    server = MockServer(Settings(max_media_bytes=8 * MB))
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=AUTH) as http:
        sdk = SocialAPI(api_key="sapi_key_test", base_url="http://mock", max_retries=0, http_client=http)
        slot = sdk.media.get_upload_url(media_type="video/mp4", filename="reel.mp4")
        put = http.put(slot.upload_url, content=chunks(SIZE), headers={"Content-Type": "video/mp4"})
        assert put.status_code == 200 and put.headers["etag"] == f'"{digest(SIZE)}"'
        sdk.media.verify(slot.media_id)
        item = next(m for m in sdk.media.list() if m.id == slot.media_id)
        assert (item.size_bytes, item.status) == (SIZE, "ready")
        with http.stream("GET", item.url) as download:
            assert download.status_code == 200
            assert int(download.headers["content-length"]) == SIZE
            first = next(download.iter_bytes(16))
        assert first[4:8] == b"ftyp"


def test_a_free_plan_takes_presigned_uploads_up_to_its_quota() -> None:
    server = MockServer(Settings())
    free = {"Authorization": "Bearer sapi_key_free"}
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=free) as http:
        sdk = SocialAPI(api_key="sapi_key_free", base_url="http://mock", max_retries=0, http_client=http)
        slot = sdk.media.get_upload_url(media_type="video/mp4", filename="reel.mp4")
        put = http.put(slot.upload_url, content=chunks(SIZE), headers={"Content-Type": "video/mp4"})
        assert put.status_code == 200
        sdk.media.verify(slot.media_id)
        # More than the whole 100 MB quota is refused from its Content-Length, or while it streams in.
        slot = sdk.media.get_upload_url(media_type="video/mp4", filename="huge.mp4")
        declared = {"Content-Type": "video/mp4", "Content-Length": str(101 * MB)}
        put = http.put(slot.upload_url, content=chunks(MB), headers=declared)
        assert put.status_code == 413 and put.json()["error"]["code"] == "billing.storage_quota"
        # Streamed without a Content-Length, it is refused as soon as the bytes pass the quota.
        streamed = http.put(slot.upload_url, content=chunks(101 * MB), headers={"Content-Type": "video/mp4"})
        assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "billing.storage_quota"
