"""The media library's use cases, called on a tenant's backend directly."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mockserver import MockServer, PublishingBackend
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import Conflict, NotFound, StorageQuotaExceeded, UploadRefused, ValidationFailed
from mockserver.core.media.library import FREE_STORAGE_BYTES, MAX_UPLOAD_BYTES
from mockserver.core.models import MediaItem, Segment
from mockserver.core.records.media import ReceivedBytes
from mockserver.core.snapshot import export_state, restore_state
from tests.conftest import ACCOUNTS, IMAGE, IMAGE_2, PNG, VIDEO

FIXTURE_MEDIA = [PNG, VIDEO, IMAGE_2, IMAGE]  # newest first: the fixture file's order, reversed
JPEG = b"\xff\xd8\xff\xe0 a tiny jpeg"


@pytest.fixture
def backend() -> PublishingBackend:
    return MockServer().tenant("sapi_key_media")


@pytest.fixture
def free() -> PublishingBackend:
    return MockServer().tenant("sapi_key_free")


def snapshot(backend: PublishingBackend) -> list[tuple[str, str, int]]:
    return [(m.id, m.status, m.size_bytes) for m in backend.state.media.items.values()]


def test_an_upload_is_ready_at_once_and_listed_first(backend: PublishingBackend) -> None:
    item = backend.media.upload_media("latte.jpg", "image/jpeg", JPEG)

    assert item.id.startswith("med_") and len(item.id) == 30
    assert (item.status, item.size_bytes, item.content_type, item.filename) == (
        "ready",
        len(JPEG),
        "image/jpeg",
        "latte.jpg",
    )
    assert [m.id for m in backend.media.list_media().items] == [item.id, *FIXTURE_MEDIA]
    usage = backend.media.storage_usage()
    assert usage.count == 5
    assert usage.limit_bytes == -1


def test_pages_follow_the_last_id_and_the_last_page_has_no_cursor(backend: PublishingBackend) -> None:
    uploaded = [backend.media.upload_media(f"{n}.jpg", "image/jpeg", JPEG).id for n in range(3)]
    everything = [*reversed(uploaded), *FIXTURE_MEDIA]

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = backend.media.list_media(limit=3, cursor=cursor)
        seen += [m.id for m in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
        assert cursor == page.items[-1].id
    assert seen == everything


def test_a_page_that_ends_exactly_on_the_last_item_has_no_cursor(backend: PublishingBackend) -> None:
    page = backend.media.list_media(limit=len(FIXTURE_MEDIA))
    assert [m.id for m in page.items] == FIXTURE_MEDIA
    assert page.next_cursor is None


@pytest.mark.parametrize(("limit", "cursor"), [(0, None), (101, None), (10, "med_nope")])
def test_bad_list_parameters_are_refused(backend: PublishingBackend, limit: int, cursor: str | None) -> None:
    with pytest.raises(ValidationFailed):
        backend.media.list_media(limit=limit, cursor=cursor)


def test_the_presigned_flow_keeps_the_item_out_of_the_list_until_verified(backend: PublishingBackend) -> None:
    slot = backend.media.create_upload_url("video/mp4", "clip.mp4")
    assert slot.expires_at == backend.now() + timedelta(minutes=15)
    assert backend.media.get_media(slot.media_id).status == "pending"
    assert slot.media_id not in [m.id for m in backend.media.list_media().items]

    backend.media.receive_upload(slot.media_id, slot.token, "video/mp4", ReceivedBytes.of(b"0" * 2048))
    assert backend.media.get_media(slot.media_id).status == "pending"
    backend.media.verify_media(slot.media_id)

    item = backend.media.get_media(slot.media_id)
    assert (item.status, item.size_bytes, item.data) == ("ready", 2048, b"0" * 2048)
    assert backend.media.list_media().items[0].id == slot.media_id
    # Verified: the URL is spent.
    with pytest.raises(UploadRefused):
        backend.media.receive_upload(slot.media_id, slot.token, "video/mp4", ReceivedBytes.of(b"again"))


def test_an_upload_url_expires_after_fifteen_minutes_of_fake_time(backend: PublishingBackend) -> None:
    slot = backend.media.create_upload_url("image/png", "a.png")
    backend.posts.advance_clock(seconds=15 * 60)
    backend.media.receive_upload(
        slot.media_id, slot.token, "image/png", ReceivedBytes.of(b"png")
    )  # the last valid instant

    late = backend.media.create_upload_url("image/png", "b.png")
    backend.posts.advance_clock(seconds=15 * 60 + 1)
    with pytest.raises(UploadRefused, match="expired"):
        backend.media.receive_upload(late.media_id, late.token, "image/png", ReceivedBytes.of(b"png"))
    assert backend.media.get_media(late.media_id).data is None


def test_the_put_must_carry_the_token_and_the_announced_type(backend: PublishingBackend) -> None:
    slot = backend.media.create_upload_url("image/png", "a.png")
    with pytest.raises(UploadRefused):
        backend.media.receive_upload(slot.media_id, "0" * 32, "image/png", ReceivedBytes.of(b"png"))
    with pytest.raises(ValidationFailed, match="Content-Type must be image/png"):
        backend.media.receive_upload(slot.media_id, slot.token, "image/jpeg", ReceivedBytes.of(b"png"))
    backend.media.receive_upload(slot.media_id, slot.token, "image/png; charset=binary", ReceivedBytes.of(b"png"))
    assert backend.media.get_media(slot.media_id).data == b"png"
    assert backend.media.upload_slot(slot.media_id, "0" * 32) is None


def test_verifying_without_bytes_fails_the_item_and_a_later_put_rescues_it(backend: PublishingBackend) -> None:
    slot = backend.media.create_upload_url("image/jpeg", "a.jpg")
    with pytest.raises(ValidationFailed) as raised:
        backend.media.verify_media(slot.media_id)
    assert raised.value.code == "media.upload_missing"
    assert backend.media.get_media(slot.media_id).status == "failed"

    backend.media.receive_upload(slot.media_id, slot.token, "image/jpeg", ReceivedBytes.of(JPEG))
    assert backend.media.verify_media(slot.media_id).status == "ready"
    assert backend.media.verify_media(slot.media_id).status == "ready"  # idempotent


def test_unknown_media_is_not_found(backend: PublishingBackend) -> None:
    for call in (backend.media.verify_media, backend.media.delete_media, backend.media.get_media):
        with pytest.raises(NotFound) as raised:
            call("med_01JG00000000000000000000ZZ")
        assert raised.value.code == "media.not_found"


@pytest.mark.parametrize(
    ("filename", "content_type", "data"),
    [
        ("a.txt", "text/plain", b"x"),
        ("a.bin", "application/octet-stream", b"x"),
        ("", "image/jpeg", b"x"),
        ("dir/a.jpg", "image/jpeg", b"x"),
        ("x" * 256, "image/jpeg", b"x"),
        ("a.jpg", "image/jpeg", b""),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(
    backend: PublishingBackend, filename: str, content_type: str, data: bytes
) -> None:
    before = snapshot(backend)
    with pytest.raises(ValidationFailed):
        backend.media.upload_media(filename, content_type, data)
    assert snapshot(backend) == before


@pytest.mark.parametrize(
    ("media_type", "filename"),
    [("text/plain", "a.txt"), ("image", "a.jpg"), ("IMAGE/JPEG", "a.jpg"), ("image/jpeg", ""), ("image/jpeg", "a/b")],
)
def test_bad_upload_urls_are_refused_and_change_nothing(
    backend: PublishingBackend, media_type: str, filename: str
) -> None:
    before = snapshot(backend)
    with pytest.raises(ValidationFailed):
        backend.media.create_upload_url(media_type, filename)
    assert snapshot(backend) == before


def test_a_file_over_fifty_megabytes_is_refused(backend: PublishingBackend) -> None:
    with pytest.raises(ValidationFailed, match="exceeds 50 MB"):
        backend.media.upload_media("big.mp4", "video/mp4", bytes(MAX_UPLOAD_BYTES + 1))


def test_the_free_plan_quota_counts_ready_items(free: PublishingBackend) -> None:
    assert free.media.storage_usage().limit_bytes == FREE_STORAGE_BYTES
    used = free.media.storage_usage().used_bytes
    # Most of the quota is taken by an item the test plants; no need to move 100 MB of bytes around.
    filler = MediaItem(
        "med_01JG0000000000000000000000", "f.mp4", "video/mp4", FREE_STORAGE_BYTES - used - 10, "ready", free.now()
    )
    free.state.media.items[filler.id] = filler

    free.media.upload_media("fits.jpg", "image/jpeg", b"0123456789")
    assert free.media.storage_usage().used_bytes == FREE_STORAGE_BYTES
    before = snapshot(free)
    with pytest.raises(StorageQuotaExceeded) as raised:
        free.media.upload_media("over.jpg", "image/jpeg", b"1")
    assert raised.value.code == "billing.storage_quota"
    assert raised.value.meta["max"] == FREE_STORAGE_BYTES
    with pytest.raises(StorageQuotaExceeded):
        free.media.create_upload_url("image/jpeg", "over.jpg")
    assert snapshot(free) == before


def test_verify_fails_an_item_that_would_pass_the_quota(free: PublishingBackend) -> None:
    slot = free.media.create_upload_url("image/jpeg", "late.jpg")
    free.media.receive_upload(slot.media_id, slot.token, "image/jpeg", ReceivedBytes.of(b"01234"))
    used = free.media.storage_usage().used_bytes
    filler = MediaItem(
        "med_01JG0000000000000000000000", "f.mp4", "video/mp4", FREE_STORAGE_BYTES - used - 4, "ready", free.now()
    )
    free.state.media.items[filler.id] = filler

    with pytest.raises(StorageQuotaExceeded):
        free.media.verify_media(slot.media_id)
    assert free.media.get_media(slot.media_id).status == "failed"


def test_the_mock_caps_the_bytes_it_holds_per_tenant(backend: PublishingBackend) -> None:
    backend.media.media_memory_limit = 100
    backend.media.upload_media("a.jpg", "image/jpeg", bytes(60))
    with pytest.raises(StorageQuotaExceeded, match="at most 100 bytes"):
        backend.media.upload_media("b.jpg", "image/jpeg", bytes(41))
    slot = backend.media.create_upload_url("image/jpeg", "c.jpg")
    with pytest.raises(StorageQuotaExceeded):
        backend.media.receive_upload(slot.media_id, slot.token, "image/jpeg", ReceivedBytes.of(bytes(41)))
    backend.media.receive_upload(slot.media_id, slot.token, "image/jpeg", ReceivedBytes.of(bytes(40)))


@pytest.mark.parametrize(
    "command",
    [
        NewPost(text="post level", media_ids=(IMAGE,)),
        NewPost(text="target level", targets=(NewTarget(ACCOUNTS["facebook"], media_ids=(IMAGE,)),)),
        NewPost(text="segment", segments=(Segment("first", (IMAGE,)),)),
    ],
    ids=["post", "target", "segment"],
)
def test_media_a_post_uses_cannot_be_deleted(backend: PublishingBackend, command: NewPost) -> None:
    post = backend.posts.create_post(command).post
    with pytest.raises(Conflict) as raised:
        backend.media.delete_media(IMAGE)
    assert raised.value.code == "media.in_use"
    assert raised.value.meta["post_id"] == post.id
    assert IMAGE in backend.state.media.items
    backend.media.delete_media(IMAGE_2)
    assert IMAGE_2 not in backend.state.media.items


def test_reset_brings_back_the_fixture_media_and_drops_uploads(backend: PublishingBackend) -> None:
    backend.media.delete_media(IMAGE)
    uploaded = backend.media.upload_media("a.jpg", "image/jpeg", JPEG)
    slot = backend.media.create_upload_url("image/jpeg", "b.jpg")
    backend.reset()
    assert [m.id for m in backend.media.list_media().items] == FIXTURE_MEDIA
    assert uploaded.id not in backend.state.media.items
    assert backend.media.upload_slot(slot.media_id, slot.token) is None


def test_download_tokens_are_per_item_and_per_tenant() -> None:
    server = MockServer()
    one, two = server.tenant("sapi_key_one"), server.tenant("sapi_key_two")
    assert one.media.media_download_token(IMAGE) != one.media.media_download_token(IMAGE_2)
    assert one.media.media_download_token(IMAGE) != two.media.media_download_token(IMAGE)
    assert (
        one.media.media_by_download_token(IMAGE, one.media.media_download_token(IMAGE)) is one.state.media.items[IMAGE]
    )
    assert two.media.media_by_download_token(IMAGE, one.media.media_download_token(IMAGE)) is None


def test_a_tenant_snapshot_carries_upload_urls_and_bytes(backend: PublishingBackend) -> None:
    uploaded = backend.media.upload_media("a.jpg", "image/jpeg", JPEG)
    slot = backend.media.create_upload_url("image/png", "b.png")
    state = export_state(backend.tenant)

    restored = MockServer().tenant("sapi_key_media")
    restore_state(restored.tenant, state)
    assert restored.media.get_media(uploaded.id).data == JPEG
    restored.media.receive_upload(slot.media_id, slot.token, "image/png", ReceivedBytes.of(b"png"))
    assert restored.media.verify_media(slot.media_id).status == "ready"
