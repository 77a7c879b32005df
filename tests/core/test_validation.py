"""The platform content rules (core/rules/content.py over the rules table), one case per rule and edge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.core.errors import MediaRejected, NotFound, ReconnectionRequired, ValidationFailed
from mockserver.core.models import MediaInput, MediaItem, Post, PostStatus, Segment, Target
from mockserver.core.rules.content import Issue, as_error, check_post, raise_first

T0 = datetime(2026, 1, 1, tzinfo=UTC)
MEDIA = {
    "img": MediaItem("img", "a.jpg", "image/jpeg", 10, "ready", T0),
    "img2": MediaItem("img2", "b.png", "image/png", 10, "ready", T0),
    "vid": MediaItem("vid", "a.mp4", "video/mp4", 10, "ready", T0),
    "vid2": MediaItem("vid2", "b.mp4", "video/mp4", 10, "ready", T0),
    "raw": MediaItem("raw", "c.jpg", "image/jpeg", 10, "pending", T0),
    "webm": MediaItem("webm", "c.webm", "video/webm", 10, "ready", T0),
    "aud": MediaItem("aud", "a.mp3", "audio/mpeg", 10, "ready", T0),
    "doc": MediaItem("doc", "a.pdf", "application/pdf", 10, "ready", T0),
    # LinkedIn takes images up to 8 MiB: one exactly at the limit, one a byte over it.
    "edge": MediaItem("edge", "d.jpg", "image/jpeg", 8 * 1024 * 1024, "ready", T0),
    "huge": MediaItem("huge", "e.jpg", "image/jpeg", 8 * 1024 * 1024 + 1, "ready", T0),
}
URL_IMAGE = MediaInput("url", "https://cdn.example.com/a.jpg")
ATTACHMENT = MediaInput("platform_attachment_id", "att_1", "image")
READY: dict[str, dict[str, Any]] = {
    "instagram": {"platform_data": {"content_type": "feed"}, "media_ids": ("img",)},
    "tiktok": {"platform_data": {"privacy_level": "SELF_ONLY"}, "media_ids": ("vid",)},
    "youtube": {"title": "T", "media_ids": ("vid",)},
    "pinterest": {"page_id": "board", "media_ids": ("img",)},
}


def issues(
    platform: str,
    *,
    post_text: str = "Hi",
    publishing: bool = True,
    post: dict[str, Any] | None = None,
    **own: Any,
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(field, message, code) of each error and (field, message) of each warning for one target."""
    target = Target(account_id="acc", platform=platform, **{**READY.get(platform, {}), **own})
    checked = Post("p", 1, post_text, T0, T0, PostStatus.DRAFT, targets=[target], **(post or {}))
    report = check_post(checked, MEDIA, publishing=publishing)
    assert all((i.platform, i.target) == (platform, "acc") for i in report.errors + report.warnings)
    # validate lists warnings under their own code, apart from the errors a create would raise
    assert all(i.code == "validation.warning" for i in report.warnings)
    return [(i.field, i.message, i.code) for i in report.errors], [(i.field, i.message) for i in report.warnings]


INVALID = "validation.field_invalid"
REQUIRED = "validation.field_required"
UNSUPPORTED_SOURCE = "publishing.media.unsupported_source"
MIXING_UNSUPPORTED = "publishing.media.mixing_unsupported"

CASES = [
    # text limits, in the platform's own way of counting
    ("twitter", {"post_text": "x" * 280}, [], []),
    ("twitter", {"post_text": "x" * 281}, [("text", "exceeds 280 character limit (281/280)", INVALID)], []),
    (
        "twitter",
        {"post_text": "x", "text": "y" * 281},
        [("targets[0].text", "exceeds 280 character limit (281/280)", INVALID)],
        [],
    ),
    ("tiktok", {"post_text": "😀" * 1100}, [], []),
    ("tiktok", {"post_text": "😀" * 1101}, [("text", "exceeds 2200 character limit (2202/2200)", INVALID)], []),
    ("threads", {"post_text": "😀" * 500}, [], []),
    # titles
    ("youtube", {"title": "t" * 100}, [], []),
    ("youtube", {"title": "t" * 101}, [("targets[0].title", "title exceeds 100 character limit (101)", INVALID)], []),
    (
        "youtube",
        {"title": None, "post": {"title": "t" * 101}},
        [("title", "title exceeds 100 character limit (101)", INVALID)],
        [],
    ),
    ("youtube", {"title": None}, [("title", "title is required for youtube", REQUIRED)], []),
    # an empty title of the target's own is missing too, and the issue points at the target's field
    ("youtube", {"title": ""}, [("targets[0].title", "title is required for youtube", REQUIRED)], []),
    ("linkedin", {"title": "t" * 500}, [], []),
    # platform_data values and requirements
    ("instagram", {"platform_data": {"content_type": "reel"}}, [], []),
    (
        "instagram",
        {"platform_data": {"content_type": "story"}},
        [
            (
                "targets[0].platform_data.content_type",
                "content_type must be one of feed, reel, carousel, stories",
                INVALID,
            )
        ],
        [],
    ),
    (
        "instagram",
        {"platform_data": None},
        [("targets[0].platform_data.content_type", "content_type is required for Instagram", REQUIRED)],
        [],
    ),
    ("instagram", {"platform_data": None, "publishing": False}, [], []),
    (
        "tiktok",
        {"platform_data": {}},
        [("targets[0].platform_data.privacy_level", "privacy_level is required for TikTok", REQUIRED)],
        [],
    ),
    # media counts and kinds
    (
        "twitter",
        {"media_ids": ("img",)},
        [],
        [("targets[0].media_ids", "twitter posts are text only; media will be ignored")],
    ),
    (
        "twitter",
        {"post": {"media_ids": ("img",)}},
        [],
        [("media_ids", "twitter posts are text only; media will be ignored")],
    ),
    ("google", {"media_ids": ("img",)}, [], []),
    (
        "google",
        {"media_ids": ("img", "img2")},
        [("targets[0].media_ids", "google accepts at most 1 media items (2 given)", INVALID)],
        [],
    ),
    ("facebook", {"media_ids": ("img", "img2")}, [], []),
    ("facebook", {"media_ids": ("vid",)}, [], []),
    (
        "facebook",
        {"media_ids": ("img", "vid")},
        [("targets[0].media_ids", "facebook albums accept images only", INVALID)],
        [],
    ),
    (
        "linkedin",
        {"media_ids": ("img", "vid")},
        [("targets[0].media_ids", "LinkedIn does not mix images and videos in one post", INVALID)],
        [],
    ),
    (
        "instagram",
        {"media_ids": None},
        [
            (
                "media",
                "Instagram posts need at least 1 media item; text-only posts are not supported",
                REQUIRED,
            )
        ],
        [],
    ),
    ("instagram", {"media_ids": None, "publishing": False}, [], []),
    (
        "tiktok",
        {"media_ids": ()},
        [("targets[0].media_ids", "Video posts require at least one media URL", "platform.tiktok.media_required")],
        [],
    ),
    (
        "tiktok",
        {"media_ids": None},
        # Nothing sent: the issue points at the current field, media.
        [("media", "Video posts require at least one media URL", "platform.tiktok.media_required")],
        [],
    ),
    ("tiktok", {"media_ids": (), "publishing": False}, [], []),
    ("youtube", {"media_ids": ()}, [("targets[0].media_ids", "youtube needs exactly one video", REQUIRED)], []),
    (
        "youtube",
        {"media_ids": ("img",)},
        [
            ("targets[0].media_ids", "youtube needs exactly one video", INVALID),
            ("targets[0].media_ids", "YouTube does not accept images (img)", INVALID),
        ],
        [],
    ),
    (
        "youtube",
        {"media_ids": ("vid", "vid2")},
        [
            ("targets[0].media_ids", "youtube accepts at most 1 media items (2 given)", INVALID),
            ("targets[0].media_ids", "youtube needs exactly one video", INVALID),
        ],
        [],
    ),
    (
        "pinterest",
        {"page_id": None},
        [("targets[0].board_id", "board_id is required for Pinterest", "validation.board_id_required")],
        [],
    ),
    (
        "pinterest",
        {"media_ids": ("vid",)},
        [
            ("targets[0].media_ids", "Pinterest needs exactly one image", REQUIRED),
            ("targets[0].media_ids", "Pinterest does not accept videos (vid)", INVALID),
        ],
        [],
    ),
    ("pinterest", {"media_ids": ()}, [("targets[0].media_ids", "Pinterest needs exactly one image", REQUIRED)], []),
    # carousels: a count between the platform's bounds, only when the post is one
    (
        "instagram",
        {"platform_data": {"content_type": "carousel"}},
        [("targets[0].media_ids", "Instagram carousels take 2 to 10 items (1 given)", INVALID)],
        [],
    ),
    ("instagram", {"platform_data": {"content_type": "carousel"}, "media_ids": ("img", "img2")}, [], []),
    ("instagram", {"platform_data": {"content_type": "carousel"}, "media_ids": ("img",) * 10}, [], []),
    ("instagram", {"platform_data": {"content_type": "carousel"}, "publishing": False}, [], []),
    # TikTok: one video or a set of photos, in the formats it takes
    (
        "tiktok",
        {"media_ids": ("img",)},
        [
            (
                "targets[0].media_ids",
                "a single image cannot be posted to TikTok: send one video or a set of photos",
                "validation.media_type_mismatch",
            )
        ],
        [],
    ),
    ("tiktok", {"media_ids": ("img", "img")}, [], []),
    (
        "tiktok",
        {"media_ids": ("vid", "vid2")},
        [
            ("targets[0].media_ids", "tiktok albums accept images only", INVALID),
            ("targets[0].media_ids", "TikTok takes at most 1 video (2 given)", INVALID),
        ],
        [],
    ),
    (
        "tiktok",
        {"media_ids": ("img", "img2")},
        [
            (
                "targets[0].media_ids",
                "TikTok does not accept image/png (img2); use image/jpeg, image/webp",
                "validation.unsupported_photo_format",
            )
        ],
        [],
    ),
    ("tiktok", {"media_ids": ("webm",)}, [], []),
    (
        "linkedin",
        {"media_ids": ("webm",)},
        [
            (
                "targets[0].media_ids",
                "LinkedIn does not accept video/webm (webm); use video/mp4, video/quicktime",
                INVALID,
            )
        ],
        [],
    ),
    # kinds no platform posts, and sizes; every item is checked, not only the first bad one
    (
        "linkedin",
        {"media_ids": ("aud", "doc", "huge")},
        [
            ("targets[0].media_ids", "LinkedIn does not accept audio media (aud)", INVALID),
            ("targets[0].media_ids", "LinkedIn does not accept file media (doc)", INVALID),
            (
                "targets[0].media_ids",
                "media huge is 8388609 bytes; LinkedIn accepts images up to 8388608 bytes",
                INVALID,
            ),
        ],
        [],
    ),
    ("linkedin", {"media_ids": ("edge",)}, [], []),
    # media the platform already holds (platform_attachment_id), checked with or without a send
    (
        "facebook",
        {"media": (URL_IMAGE, ATTACHMENT), "publishing": False},
        [
            (
                "targets[0].media[1].source_type",
                "Facebook does not accept platform_attachment_id media; send a url or a media_id",
                UNSUPPORTED_SOURCE,
            )
        ],
        [],
    ),
    (
        "instagram",
        {"media_ids": None, "media": (ATTACHMENT, URL_IMAGE), "publishing": False},
        [
            (
                "targets[0].media",
                "on Instagram a platform_attachment_id must be the only media item (2 given)",
                MIXING_UNSUPPORTED,
            )
        ],
        [],
    ),
    ("instagram", {"media_ids": None, "media": (ATTACHMENT,)}, [], []),
    ("linkedin", {"media": (ATTACHMENT, URL_IMAGE)}, [], []),
    (
        "linkedin",
        {"media_ids": ("raw",)},
        [("targets[0].media_ids", "media raw is not ready or not found", INVALID)],
        [],
    ),
    ("linkedin", {"media_ids": ("raw",), "publishing": False}, [], []),
    # first comments and threads
    ("linkedin", {"first_comment": "c"}, [], []),
    (
        "threads",
        {"first_comment": "c"},
        [],
        [("first_comment", "first_comment is not supported on threads and will be ignored")],
    ),
    (
        "threads",
        {"post": {"first_comment": "c"}},
        [],
        [("first_comment", "first_comment is not supported on threads and will be ignored")],
    ),
    (
        "linkedin",
        {"post": {"segments": (Segment("s"),)}},
        [],
        [("segments", "segments are not supported on linkedin and will be ignored")],
    ),
    (
        "threads",
        {"post": {"segments": (Segment("s" * 500), Segment("s" * 501))}},
        [("segments[1].text", "exceeds 500 character limit (501/500)", INVALID)],
        [],
    ),
    ("unknown", {"post_text": "x" * 100_000}, [], []),
]


@pytest.mark.parametrize(("platform", "given", "errors", "warnings"), CASES)
def test_content_rules(
    platform: str, given: dict[str, Any], errors: list[tuple[str, str, str]], warnings: list[tuple[str, str]]
) -> None:
    assert issues(platform, **given) == (errors, warnings)


def test_a_segment_error_names_its_index_and_only_checks_the_chosen_target() -> None:
    post = Post(
        "p",
        1,
        "Hi",
        T0,
        T0,
        PostStatus.DRAFT,
        targets=[Target("a", "threads"), Target("b", "twitter", text="x" * 281)],
        segments=(Segment("s" * 501),),
    )
    report = check_post(post, MEDIA, publishing=True, only=post.targets[1])
    assert [(i.target, i.field, i.segment_index) for i in report.errors] == [
        ("b", "targets[1].text", None),
        ("b", "segments[0].text", 0),
    ]


def test_an_issue_becomes_the_error_of_its_kind_with_its_field_and_target() -> None:
    missing = as_error(Issue("", "media_ids", "media m not found", "media.not_found", meta={"id": "m"}))
    assert (type(missing), missing.code, missing.message, missing.meta) == (
        NotFound,
        "media.not_found",
        "media m not found",
        {"field": "media_ids", "id": "m"},
    )
    stale = as_error(Issue("x", "targets[0].account_id", "reconnect", "account.reconnection_required", "acc"))
    assert (type(stale), stale.message) == (ReconnectionRequired, "reconnect")
    assert stale.meta == {"field": "targets[0].account_id", "platform": "x", "account_id": "acc"}
    invalid = as_error(Issue("x", "text", "too long"))
    assert (type(invalid), invalid.code, invalid.message) == (ValidationFailed, "validation.field_invalid", "too long")
    required = as_error(Issue("x", "title", "title is required for x", "validation.field_required"))
    assert (type(required), required.code) == (ValidationFailed, "validation.field_required")


def test_a_media_source_issue_becomes_a_media_rejection_with_its_own_code() -> None:
    rejected = as_error(
        Issue("instagram", "targets[0].media", "only item", "publishing.media.mixing_unsupported", "acc")
    )
    assert (type(rejected), rejected.code, rejected.message, rejected.meta) == (
        MediaRejected,
        "publishing.media.mixing_unsupported",
        "only item",
        {"field": "targets[0].media", "platform": "instagram", "account_id": "acc"},
    )


def test_create_raises_the_first_content_error_of_a_post() -> None:
    target = Target("acc", "facebook", media=(ATTACHMENT,))
    post = Post("p", 1, "Hi", T0, T0, PostStatus.DRAFT, targets=[target])
    with pytest.raises(MediaRejected) as caught:
        raise_first(check_post(post, MEDIA, publishing=False).errors)
    assert (caught.value.code, caught.value.meta) == (
        "publishing.media.unsupported_source",
        {"field": "targets[0].media[0].source_type", "platform": "facebook", "account_id": "acc"},
    )
    raise_first([])
    with pytest.raises(NotFound):
        raise_first([Issue("", "f", "gone", "post.not_found"), Issue("", "g", "bad")])
