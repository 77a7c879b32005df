"""The inbox's identifiers: ``sapi_cmt_`` interaction ids derived from the platform's comment id."""

from __future__ import annotations

import base64
import binascii

COMMENT_PREFIX = "sapi_cmt_"


def comment_interaction_id(platform: str, platform_id: str) -> str:
    """``sapi_cmt_`` + base64url of ``platform:platform_id``, as the docs' webhook examples are made."""
    raw = f"{platform}:{platform_id}".encode()
    return COMMENT_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def platform_id_of(comment_id: str) -> str:
    """A path's comment id as a platform id: ``sapi_cmt_`` ids are decoded, anything else is one already."""
    if not comment_id.startswith(COMMENT_PREFIX):
        return comment_id
    payload = comment_id[len(COMMENT_PREFIX) :]
    try:
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return comment_id
    return decoded.split(":", 1)[1] if ":" in decoded else comment_id
