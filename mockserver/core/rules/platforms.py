"""What each platform accepts and how its native ids and links look.

One table serves both the create-time validation and ``GET /v1/posts/validate``'s constraints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mockserver.core.ids import IdFactory

_B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_YT = _B62 + "-_"
_TID = "234567abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class PlatformRules:
    slug: str
    text_limit: int
    name: str = ""  # as the platform writes itself in messages ("TikTok", "X")
    counting_mode: str = "chars"  # chars | utf16
    title_limit: int | None = None
    title_required: bool = False
    media_required: bool = False
    # Fewest media items a publish needs (Instagram: no text-only post); a carousel needs carousel[0].
    min_media: int = 0
    max_media: int = 10
    max_videos: int | None = None
    single_image_refused: bool = False  # TikTok: one video, or a set of photos, never one photo
    mixing_refused: bool = False  # images and videos in one post
    # platform_attachment_id sources: accepted at all, and only as the sole item.
    attachment_ids: bool = False
    attachment_alone: bool = False
    carousel: tuple[int, int] | None = None  # (min, max) items
    carousel_allow_video: bool = True
    images_only_carousel: bool = False
    video_required: bool = False
    single_image_required: bool = False  # a pin is exactly one image
    board_required: bool = False
    text_only: bool = False
    max_images: int | None = None
    supports_segments: bool = False
    supports_first_comment: bool = False
    supports_delete: bool = True
    supports_unpublish: bool = True
    supports_retry: bool = True
    required_platform_data: tuple[str, ...] = ()
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_image_bytes: int = 8 * 1024 * 1024
    max_video_bytes: int = 1024 * 1024 * 1024
    image_types: tuple[str, ...] = ("image/jpeg", "image/png")
    video_types: tuple[str, ...] = ("video/mp4", "video/quicktime")


RULES: dict[str, PlatformRules] = {
    r.slug: r
    for r in (
        PlatformRules(
            "instagram",
            2200,
            "Instagram",
            carousel=(2, 10),
            min_media=1,
            attachment_ids=True,
            attachment_alone=True,
            supports_first_comment=True,
            supports_delete=False,
            supports_unpublish=False,
            required_platform_data=("content_type",),
            enums={"content_type": ("feed", "reel", "carousel", "stories")},
        ),
        PlatformRules(
            "facebook",
            63206,
            "Facebook",
            carousel=(2, 10),
            carousel_allow_video=False,
            images_only_carousel=True,
            supports_first_comment=True,
            max_image_bytes=10 * 1024 * 1024,
            enums={"content_type": ("feed", "reel", "stories")},
        ),
        PlatformRules(
            "linkedin",
            3000,
            "LinkedIn",
            max_media=20,
            carousel=(2, 20),
            carousel_allow_video=False,
            mixing_refused=True,
            attachment_ids=True,
            supports_first_comment=True,
        ),
        PlatformRules(
            "threads",
            500,
            "Threads",
            max_media=20,
            carousel=(2, 20),
            attachment_ids=True,
            attachment_alone=True,
            supports_segments=True,
        ),
        PlatformRules(
            "tiktok",
            2200,
            "TikTok",
            counting_mode="utf16",
            media_required=True,
            max_media=35,
            max_videos=1,
            single_image_refused=True,
            mixing_refused=True,
            carousel=(2, 35),
            carousel_allow_video=False,
            images_only_carousel=True,
            supports_delete=False,
            required_platform_data=("privacy_level",),
            enums={
                "privacy_level": (
                    "PUBLIC_TO_EVERYONE",
                    "MUTUAL_FOLLOW_FRIENDS",
                    "FOLLOWER_OF_CREATOR",
                    "SELF_ONLY",
                )
            },
            image_types=("image/jpeg", "image/webp"),
            video_types=("video/mp4", "video/quicktime", "video/webm"),
        ),
        PlatformRules(
            "youtube",
            5000,
            "YouTube",
            title_limit=100,
            title_required=True,
            video_required=True,
            max_media=1,
            supports_first_comment=True,
            max_image_bytes=0,
            image_types=(),
        ),
        PlatformRules("twitter", 280, "X", text_only=True, max_media=0, attachment_ids=True, supports_segments=True),
        PlatformRules(
            "google", 1500, "Google Business Profile", max_media=1, max_images=1, supports_retry=False, video_types=()
        ),
        PlatformRules(
            "pinterest",
            800,
            "Pinterest",
            title_limit=100,
            max_media=1,
            max_images=1,
            single_image_required=True,
            board_required=True,
            video_types=(),
        ),
        # Create and delete only: the AT Protocol has no update (connectors/bluesky, later docs). The
        # docs state no limits; 300 characters and 4 images are the AT Protocol's own post record.
        PlatformRules(
            "bluesky",
            300,
            "Bluesky",
            max_media=4,
            max_images=4,
            mixing_refused=True,
            max_image_bytes=1_000_000,
            video_types=("video/mp4",),
        ),
    )
}


def rules_of(platform: str) -> PlatformRules:
    """The rules of ``platform``; one the table does not know has a table row's defaults."""
    return RULES.get(platform) or PlatformRules(platform, 0, platform)


def display_name(platform: str) -> str:
    return rules_of(platform).name


def text_length(text: str, counting_mode: str) -> int:
    if counting_mode == "utf16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def native_post_id(platform: str, account_user_id: str, ids: IdFactory) -> str:
    """A platform post id in the platform's own shape."""
    if platform == "linkedin":
        return f"urn:li:share:{ids.digits(19)}"
    if platform == "facebook":
        return f"{account_user_id}_{ids.digits(16)}"
    if platform == "youtube":
        return ids.token(11, _YT)
    if platform == "google":
        return f"accounts/{account_user_id}/locations/{ids.digits(17)}/localPosts/{ids.digits(19)}"
    if platform in ("twitter", "tiktok"):
        return ids.digits(19)
    if platform == "bluesky":
        # An AT URI: the author's DID and the record key (a 13-character timestamp id).
        return f"at://did:plc:{account_user_id}/app.bsky.feed.post/{ids.token(13, _TID)}"

    return ids.digits(17 if platform in ("instagram", "threads") else 18)


def permalink(platform: str, username: str, post_id: str, ids: IdFactory) -> str:
    if platform == "instagram":
        return f"https://www.instagram.com/p/{ids.token(11, _B62)}/"
    if platform == "facebook":
        page, _, post = post_id.partition("_")
        return f"https://www.facebook.com/{page}/posts/{post}"
    if platform == "linkedin":
        return f"https://www.linkedin.com/feed/update/{post_id}/"
    if platform == "threads":
        return f"https://www.threads.net/@{username}/post/{ids.token(11, _B62)}"
    if platform == "tiktok":
        return f"https://www.tiktok.com/@{username}/video/{post_id}"
    if platform == "youtube":
        return f"https://www.youtube.com/watch?v={post_id}"
    if platform == "twitter":
        return f"https://x.com/{username}/status/{post_id}"
    if platform == "google":
        return f"https://business.google.com/posts/{post_id.rsplit('/', 1)[-1]}"
    if platform == "bluesky":
        return f"https://bsky.app/profile/{username}/post/{post_id.rsplit('/', 1)[-1]}"
    return f"https://www.pinterest.com/pin/{post_id}/"
