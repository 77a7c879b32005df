"""The ``media`` array of a request: its items checked, normalised, and resolved for the platform rules.

Clients send media two ways: ``media_ids`` (library ids, deprecated) and ``media`` (items of
``{source_type: url | media_id | platform_attachment_id, source, type}``, current since 2026-08).
When both are sent, ``media`` wins and ``media_ids`` becomes the ids of its ``media_id`` items, as the
docs say. Either way a post or target ends up with one ``media`` tuple whose items all have a type,
and the rules of ``core/rules/content.py`` read the ``ResolvedMedia`` of it, whatever way it came.

No fetch happens offline: a ``url`` item is recorded as remote media of its type (given, or read
from the URL's extension), ready to publish. A library item brings its own type, size and status.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from mockserver.core.models import MediaInput, MediaItem, Segment

SOURCE_TYPES: tuple[str, ...] = ("url", "media_id", "platform_attachment_id")
MEDIA_TYPES: tuple[str, ...] = ("image", "video", "audio", "file")
URL_MAX = 2048
_EXTENSIONS = {
    "image": ("jpg", "jpeg", "png", "gif", "webp", "heic", "avif", "bmp", "tif", "tiff"),
    "video": ("mp4", "mov", "m4v", "webm", "avi", "mkv", "mpeg", "mpg"),
    "audio": ("mp3", "m4a", "wav", "aac", "ogg", "flac"),
    "file": ("pdf", "doc", "docx", "ppt", "pptx"),
}
_TYPE_BY_EXTENSION = {ext: kind for kind, exts in _EXTENSIONS.items() for ext in exts}
_CONTENT_TYPE_BY_EXTENSION = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
}


@dataclass(frozen=True, slots=True)
class MediaProblem:
    """One item of a ``media`` array that cannot be used; ``field`` is the request field (``media[0].type``)."""

    field: str
    message: str
    required: bool = False  # the part is missing rather than wrong
    missing_media: str | None = None  # a media_id the tenant does not have


@dataclass(frozen=True, slots=True)
class ResolvedMedia:
    """One media item as a platform rule sees it."""

    kind: str  # image | video | audio | file
    source_type: str
    source: str
    content_type: str | None = None  # library items, and urls whose extension says it
    size_bytes: int | None = None  # library items only
    status: str = "ready"

    @property
    def is_video(self) -> bool:
        return self.kind == "video"

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


def kind_of(item: MediaItem) -> str:
    major = item.content_type.split("/", 1)[0]
    return major if major in ("image", "video", "audio") else "file"


def _extension(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched by the platforms, or None. Private and loopback hosts are refused."""
    if len(url) > URL_MAX:
        return f"the URL is longer than {URL_MAX} characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "the URL is not valid"
    if parts.scheme not in ("http", "https") or not host:
        return "the URL must be an absolute http(s) URL"
    if host == "localhost" or host.endswith(".localhost"):
        return "the URL must be public: localhost is not reachable by the platforms"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified:
        return f"the URL must be public: {host} is a private, loopback or link-local address"
    return None


def problems(
    inputs: tuple[MediaInput, ...], library: Mapping[str, MediaItem], field: str = "media"
) -> Iterator[MediaProblem]:
    """Every item of ``inputs`` (sent as ``field``) that no platform could use, whatever the platform."""
    for index, item in enumerate(inputs):
        at = f"{field}[{index}]"
        if item.source_type == "url":
            reason = url_problem(item.source)
            if reason is not None:
                yield MediaProblem(f"{at}.source", f"{at}.source: {reason}")
            elif item.type is None and _extension(item.source) not in _TYPE_BY_EXTENSION:
                yield MediaProblem(
                    f"{at}.type",
                    f"{at}.type is required: the URL's extension does not say whether it is "
                    "an image, a video, audio or a file",
                    required=True,
                )
        elif item.source_type == "media_id":
            found = library.get(item.source)
            if found is None:
                yield MediaProblem(f"{at}.source", f"media {item.source} not found", missing_media=item.source)
            elif item.type is not None and item.type != kind_of(found):
                yield MediaProblem(
                    f"{at}.type",
                    f"{at}.type is {item.type} but media {found.id} is {kind_of(found)} ({found.content_type})",
                )
        elif item.type is None:
            yield MediaProblem(f"{at}.type", f"{at}.type is required for a platform_attachment_id", required=True)


def normalised(
    media: tuple[MediaInput, ...] | None, media_ids: tuple[str, ...] | None, library: Mapping[str, MediaItem]
) -> tuple[tuple[MediaInput, ...] | None, tuple[str, ...] | None]:
    """``(media, media_ids)`` as stored and echoed: ``media`` wins, every item typed where it can be."""
    if media is None:
        if media_ids is None:
            return None, None
        media = tuple(MediaInput("media_id", m) for m in media_ids)
    else:
        media_ids = tuple(m.source for m in media if m.source_type == "media_id")
    return tuple(_typed(m, library) for m in media), media_ids


def field_of(media: tuple[MediaInput, ...] | None, media_ids: tuple[str, ...] | None) -> str:
    """The request field that carried the media: ``media_ids`` only when it came alone."""
    return "media_ids" if media is None and media_ids is not None else "media"


def normalised_segment(segment: Segment, library: Mapping[str, MediaItem]) -> Segment:
    if segment.media is None:
        return segment
    media, media_ids = normalised(segment.media, None, library)
    return Segment(segment.text, media_ids or (), media)


def _typed(item: MediaInput, library: Mapping[str, MediaItem]) -> MediaInput:
    if item.type is not None:
        return item
    if item.source_type == "media_id":
        found = library.get(item.source)
        return item if found is None else MediaInput(item.source_type, item.source, kind_of(found))
    kind = _TYPE_BY_EXTENSION.get(_extension(item.source)) if item.source_type == "url" else None
    return item if kind is None else MediaInput(item.source_type, item.source, kind)


def resolved(inputs: tuple[MediaInput, ...], library: Mapping[str, MediaItem]) -> list[ResolvedMedia]:
    """The items a platform would receive; items that cannot be resolved (a deleted id) are left out."""
    out: list[ResolvedMedia] = []
    for item in inputs:
        if item.source_type == "media_id":
            found = library.get(item.source)
            if found is not None:
                out.append(
                    ResolvedMedia(
                        kind_of(found), "media_id", found.id, found.content_type, found.size_bytes, found.status
                    )
                )
            continue
        typed = _typed(item, library)
        if typed.type is None:
            continue
        content_type = _CONTENT_TYPE_BY_EXTENSION.get(_extension(item.source)) if item.source_type == "url" else None
        out.append(ResolvedMedia(typed.type, item.source_type, item.source, content_type))
    return out
