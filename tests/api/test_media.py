"""/v1/media through the official SDK (``sdk.media.*``), raw HTTP for status codes and the storage URLs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
import socialapi
from socialapi import SocialAPI

from mockserver import MockServer
from mockserver.api.shapes.common import ErrorOut
from mockserver.api.shapes.media import MediaListOut, StorageOut, UploadUrlOut
from mockserver.core.media.library import MAX_UPLOAD_BYTES
from mockserver.testing import sync_transport
from tests.conftest import API_KEY, IMAGE, IMAGE_2, PNG, VIDEO, target

FIXTURE_MEDIA = [PNG, VIDEO, IMAGE_2, IMAGE]
JPEG = b"\xff\xd8\xff\xe0 not much of a picture"


@pytest.fixture
def anonymous(server: MockServer) -> Iterator[httpx.Client]:
    """No API key: what a browser or an S3-style client sends to the storage URLs."""
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock") as http:
        yield http


def error_code(response: httpx.Response) -> str:
    assert response.status_code >= 400
    code: str = ErrorOut.model_validate(response.json()).error.code
    return code


def test_sdk_upload_is_listed_first_with_every_field_and_its_bytes_download(
    sdk: SocialAPI, anonymous: httpx.Client
) -> None:
    uploaded = sdk.media.upload(content=JPEG, filename="latte.jpg")
    assert uploaded.media_id.startswith("med_") and len(uploaded.media_id) == 30

    first = sdk.media.list().data[0]
    assert first.id == uploaded.media_id
    assert (first.filename, first.content_type, first.size_bytes, first.status) == (
        "latte.jpg",
        "image/jpeg",  # httpx guessed it from the name; the mock kept it
        len(JPEG),
        "ready",
    )
    assert first.created_at == datetime(2026, 1, 1, tzinfo=UTC)
    download = anonymous.get(first.url)
    assert download.status_code == 200
    assert download.content == JPEG
    assert download.headers["content-type"] == "image/jpeg"


def test_upload_answers_201_and_honours_an_explicit_content_type(client: httpx.Client, sdk: SocialAPI) -> None:
    response = client.post("/v1/media/upload", files={"file": ("clip", b"\x00\x00\x00 ftyp", "video/mp4")})
    assert response.status_code == 201
    media_id = response.json()["media_id"]
    assert response.json() == {"media_id": media_id}
    item = next(m for m in sdk.media.list() if m.id == media_id)
    assert item.content_type == "video/mp4"


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"),
    [
        ({"files": {"other": ("a.jpg", JPEG, "image/jpeg")}}, 400, "validation.field_required"),
        ({"json": {"file": "a.jpg"}}, 400, "validation.field_required"),
        ({"files": {"file": ("notes.txt", b"hello", "text/plain")}}, 400, "validation.field_invalid"),
        ({"files": {"file": ("blob", b"hello")}}, 400, "validation.field_invalid"),
        ({"files": {"file": ("empty.jpg", b"", "image/jpeg")}}, 400, "validation.field_invalid"),
        (
            {"content": b"--x\r\nbroken", "headers": {"Content-Type": "multipart/form-data; boundary=x"}},
            400,
            "validation.field_required",
        ),
    ],
    ids=["no-file-field", "json", "text-file", "unknown-type", "empty", "truncated"],
)
def test_bad_uploads_get_a_4xx_and_store_nothing(
    client: httpx.Client, sdk: SocialAPI, request_kwargs: dict[str, object], status: int, code: str
) -> None:
    response = client.post("/v1/media/upload", **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert error_code(response) == code
    assert [m.id for m in sdk.media.list()] == FIXTURE_MEDIA


def test_a_file_over_fifty_megabytes_is_a_400_and_a_bigger_body_a_413(client: httpx.Client) -> None:
    too_big = client.post("/v1/media/upload", files={"file": ("big.mp4", bytes(MAX_UPLOAD_BYTES + 1), "video/mp4")})
    assert too_big.status_code == 400
    assert too_big.json()["error"]["meta"]["field"] == "file"

    def chunks() -> Iterator[bytes]:
        yield b"never read"

    declared = client.post(
        "/v1/media/upload",
        content=chunks(),
        headers={"Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(MAX_UPLOAD_BYTES * 2)},
    )
    assert declared.status_code == 413
    assert error_code(declared) == "validation.body_too_large"


def test_sdk_presigned_flow_put_then_verify(sdk: SocialAPI, anonymous: httpx.Client) -> None:
    slot = sdk.media.get_upload_url(media_type="video/mp4", filename="pour.mp4")
    assert slot.expires_at == datetime(2026, 1, 1, 0, 15, tzinfo=UTC)
    assert slot.media_id not in [m.id for m in sdk.media.list()]

    # A presigned URL carries its own token: no API key goes with the PUT.
    put = anonymous.put(slot.upload_url, content=b"video bytes", headers={"Content-Type": "video/mp4"})
    assert put.status_code == 200
    assert put.headers["etag"].startswith('"')
    sdk.media.verify(slot.media_id)

    item = sdk.media.list().data[0]
    assert (item.id, item.size_bytes, item.status) == (slot.media_id, len(b"video bytes"), "ready")
    assert anonymous.get(item.url).content == b"video bytes"
    post = sdk.publishing.create(
        text="Pour-over", media_ids=[slot.media_id], targets=[target("facebook")], publish_now=True
    )
    assert post.status == "published"


def test_upload_url_answers_the_documented_shape(client: httpx.Client) -> None:
    response = client.get("/v1/media/upload-url", params={"media_type": "image/png", "filename": "menu.png"})
    assert response.status_code == 200
    body = UploadUrlOut.model_validate(response.json())
    assert body.upload_url.startswith("http://mock/_mock/uploads/" + body.media_id)


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"filename": "a.jpg"}, "validation.field_required", "media_type"),
        ({"media_type": "image/jpeg"}, "validation.field_required", "filename"),
        ({"media_type": "application/pdf", "filename": "a.pdf"}, "validation.field_invalid", "media_type"),
    ],
)
def test_upload_url_needs_both_parameters(client: httpx.Client, params: dict[str, str], code: str, field: str) -> None:
    response = client.get("/v1/media/upload-url", params=params)
    assert response.status_code == 400
    assert error_code(response) == code
    assert response.json()["error"]["meta"]["field"] == field


def test_a_presigned_put_is_refused_when_expired_mistyped_or_forged(sdk: SocialAPI, client: httpx.Client) -> None:
    slot = sdk.media.get_upload_url(media_type="image/png", filename="menu.png")
    forged = client.put(
        slot.upload_url.replace("token=", "token=0"), content=b"png", headers={"Content-Type": "image/png"}
    )
    assert forged.status_code == 403
    assert error_code(forged) == "media.upload_refused"
    mistyped = client.put(slot.upload_url, content=b"png", headers={"Content-Type": "image/jpeg"})
    assert mistyped.status_code == 400
    assert mistyped.json()["error"]["meta"]["field"] == "content_type"

    client.post("/_mock/clock/advance", json={"seconds": 15 * 60 + 1})
    expired = client.put(slot.upload_url, content=b"png", headers={"Content-Type": "image/png"})
    assert expired.status_code == 403
    assert "expired" in expired.json()["error"]["message"]
    with pytest.raises(socialapi.BadRequestError) as raised:
        sdk.media.verify(slot.media_id)
    assert raised.value.code == "media.upload_missing"


def test_verify_of_unknown_media_is_not_found(sdk: SocialAPI) -> None:
    with pytest.raises(socialapi.NotFoundError) as raised:
        sdk.media.verify("med_01JG00000000000000000000ZZ")
    assert raised.value.code == "media.not_found"


def test_sdk_iterates_every_page_and_stops(sdk: SocialAPI, client: httpx.Client) -> None:
    uploaded = [sdk.media.upload(content=JPEG, filename=f"{n}.jpg").media_id for n in range(3)]
    # A slot that was never verified is not listed.
    sdk.media.get_upload_url(media_type="image/jpeg", filename="pending.jpg")

    page = sdk.media.list(limit=2)
    assert page.has_next_page()
    ids = [m.id for m in sdk.media.list(limit=2)]
    assert ids == [*reversed(uploaded), *FIXTURE_MEDIA]

    last = client.get("/v1/media", params={"limit": 2, "cursor": ids[-3]})
    body = MediaListOut.model_validate(last.json())
    assert [m.id for m in body.data] == ids[-2:]
    assert body.count == 2
    assert "next_cursor" not in last.json()  # never "": the SDK would loop forever


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "101"}, {"limit": "ten"}, {"cursor": "med_gone"}])
def test_bad_list_parameters_are_a_400(client: httpx.Client, params: dict[str, str]) -> None:
    response = client.get("/v1/media", params=params)
    assert response.status_code == 400
    assert error_code(response) == "validation.field_invalid"


def test_sdk_delete_answers_204_and_then_not_found(sdk: SocialAPI, client: httpx.Client) -> None:
    media_id = sdk.media.upload(content=JPEG, filename="a.jpg").media_id
    assert client.delete(f"/v1/media/{media_id}").status_code == 204
    assert media_id not in [m.id for m in sdk.media.list()]
    with pytest.raises(socialapi.NotFoundError):
        sdk.media.delete(media_id)
    sdk.media.delete(IMAGE_2)  # fixture media can go too (until the next reset)
    assert IMAGE_2 not in [m.id for m in sdk.media.list()]


def test_media_in_use_cannot_be_deleted_until_the_post_is_cancelled(sdk: SocialAPI, client: httpx.Client) -> None:
    post = sdk.publishing.create(text="Draft with a picture", targets=[target("facebook", media_ids=[IMAGE])])
    with pytest.raises(socialapi.ConflictError) as raised:
        sdk.media.delete(IMAGE)
    assert raised.value.code == "media.in_use"
    response = client.delete(f"/v1/media/{IMAGE}")
    assert response.status_code == 409
    assert response.json()["error"]["meta"]["post_id"] == post.id

    sdk.posts.delete(post.id)  # a draft is cancelled
    sdk.media.delete(IMAGE)
    assert IMAGE not in [m.id for m in sdk.media.list()]


def test_sdk_storage_usage_counts_ready_items(sdk: SocialAPI, client: httpx.Client) -> None:
    before = sdk.media.get_storage_usage()
    assert before.limit_bytes == -1
    assert before.count == len(FIXTURE_MEDIA)
    sdk.media.upload(content=JPEG, filename="a.jpg")
    sdk.media.get_upload_url(media_type="image/jpeg", filename="pending.jpg")
    after = sdk.media.get_storage_usage()
    assert (after.used_bytes, after.count) == (before.used_bytes + len(JPEG), before.count + 1)

    response = client.get("/v1/media/storage")
    StorageOut.model_validate(response.json())
    assert response.headers["X-Storage-Used"] == str(after.used_bytes)
    assert response.headers["X-Storage-Limit"] == "-1"


def test_free_plan_quota_is_a_413_the_sdk_recognises(server: MockServer) -> None:
    free = {"Authorization": "Bearer sapi_key_free"}
    with httpx.Client(transport=sync_transport(server.app), base_url="http://mock", headers=free) as http:
        sdk = SocialAPI(api_key="sapi_key_free", base_url="http://mock", max_retries=0, http_client=http)
        usage = sdk.media.get_storage_usage()
        assert usage.limit_bytes == 100 * 1024 * 1024
        # Fill the quota with a planted item rather than moving 100 MB through the app.
        tenant = server.tenant("sapi_key_free")
        planted = tenant.media.upload_media("filler.mp4", "video/mp4", b"x")
        planted.size_bytes = usage.limit_bytes - usage.used_bytes
        with pytest.raises(socialapi.StorageQuotaExceededError) as raised:
            sdk.media.upload(content=JPEG, filename="one-too-many.jpg")
        assert raised.value.code == "billing.storage_quota"
        assert raised.value.status_code == 413
        with pytest.raises(socialapi.StorageQuotaExceededError):
            sdk.media.get_upload_url(media_type="image/jpeg", filename="one-too-many.jpg")


def test_the_mock_caps_the_bytes_it_holds(sdk: SocialAPI, server: MockServer) -> None:
    server.tenant(API_KEY).media.media_memory_limit = 1000
    sdk.media.upload(content=bytes(600), filename="a.jpg")
    with pytest.raises(socialapi.StorageQuotaExceededError, match="at most 1000 bytes"):
        sdk.media.upload(content=bytes(600), filename="b.jpg")


def test_storage_urls_need_their_token(client: httpx.Client, sdk: SocialAPI) -> None:
    media_id = sdk.media.upload(content=JPEG, filename="a.jpg").media_id
    url = next(m.url for m in sdk.media.list() if m.id == media_id)
    forged = client.get(url[:-4] + "0000")
    assert forged.status_code == 404
    assert error_code(forged) == "media.not_found"
    fixture = next(m.url for m in sdk.media.list() if m.id == IMAGE)
    assert client.get(fixture).status_code == 200  # fixture media serve stand-in bytes
    put = client.put(f"/_mock/uploads/{media_id}", content=b"x", headers={"Content-Type": "image/jpeg"})
    assert put.status_code == 403


def test_media_endpoints_need_an_api_key(anonymous: httpx.Client) -> None:
    response = anonymous.get("/v1/media")
    assert response.status_code == 401
    assert error_code(response) == "auth.missing_header"


def test_the_publishing_resource_and_bound_items_reach_the_same_endpoints(
    sdk: SocialAPI, anonymous: httpx.Client
) -> None:
    slot = sdk.publishing.get_upload_url(media_type="image/png", filename="menu-2.png")
    anonymous.put(slot.upload_url, content=b"png bytes", headers={"Content-Type": "image/png"})
    sdk.publishing.verify_upload(slot.media_id)
    item = sdk.media.list().data[0]
    assert (item.id, item.status) == (slot.media_id, "ready")
    item.verify()  # verifying a ready item again is harmless
    item.delete()
    assert slot.media_id not in [m.id for m in sdk.media.list()]
