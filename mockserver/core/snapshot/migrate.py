"""Documents of earlier versions, brought to the current one before they are read.

Version 1 listed the state field by field beside the objects that held it, with each mixin's part
under ``extensions``. It is rewritten into version 2's layout; what it did not carry (the media
signing key, the webhook schedule, parts added later) comes from the restoring tenant's fresh state.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from mockserver.core.errors import ValidationFailed

# Version 1's extensions, by the place in version 2's ``state`` they move to.
_ACCOUNTS_PARTS = (
    "brands",
    "pages",
    "boards",
    "creator_info",
    "publish_log",
    "redirect_uris",
    "pending_connections",
    "oauth_codes",
    "byok_platforms",
)


def migrated(document: dict[str, Any], current: int, fresh: dict[str, Any]) -> dict[str, Any]:
    """``document`` in version ``current``; ``fresh`` is the restoring tenant's fresh state as JSON data."""
    version = document.get("version")
    if version == current:
        return _with_later_parts(document, fresh)
    if isinstance(version, int) and not isinstance(version, bool):
        if version > current:
            message = f"version: the state document's version {version} is newer than this mock's {current}"
            raise ValidationFailed.invalid("version", message, code="validation.state_invalid")
        if version == 1:
            return _from_v1(document, fresh)
    message = f"version: {str(version)[:40]} is not a state document version this mock reads (1 to {current})"
    raise ValidationFailed.invalid("version", message, code="validation.state_invalid")


# Parts of ``state`` added after version 2 was first written: a document without one gets the
# restoring tenant's fresh part (a state file saved before the part existed still loads).
LATER_PARTS: tuple[str, ...] = ("team",)


def lacks_later_part(error: Mapping[str, Any]) -> bool:
    return error["type"] == "missing" and tuple(error["loc"][:2]) in {("state", part) for part in LATER_PARTS}


def _with_later_parts(document: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    state = document.get("state")
    if not isinstance(state, dict):
        return document
    missing = {part: fresh[part] for part in LATER_PARTS if part not in state}
    return {**document, "state": {**state, **missing}}


def _from_v1(v1: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    extensions = v1.get("extensions")
    extensions = extensions if isinstance(extensions, dict) else {}
    state = {**fresh}
    accounts = {**fresh["accounts"], "items": v1.get("accounts")}
    for part in _ACCOUNTS_PARTS:
        if part in extensions:
            accounts[part] = extensions[part]
    state["accounts"] = accounts
    uploads = extensions.get("media_library") or {}
    slots = uploads.get("upload_slots", []) if isinstance(uploads, dict) else uploads
    state["media"] = {**fresh["media"], "items": v1.get("media"), "upload_slots": slots}
    state["posts"] = {"posts": v1.get("posts"), "next_seq": v1.get("next_seq")}
    state["webhooks"] = _webhooks(extensions)
    state["attempts"] = extensions.get("deliveries") or []
    for name in ("plan", "duplicate_check", "ids"):
        if name in v1:
            state[name] = v1[name]
    state["request_ids"] = v1.get("request_rng")
    state["journal"] = _text_bodies(v1.get("journal"))
    state["events"] = v1.get("events")
    return {
        "format": v1.get("format"),
        "version": 2,
        "tenant": v1.get("tenant"),
        "now": v1.get("now"),
        "scenarios": v1.get("scenarios"),
        "state": state,
    }


def _webhooks(extensions: dict[str, Any]) -> dict[str, Any]:
    """Endpoints, deliveries and sinks; bodies were text in version 1 and are base64 bytes now."""
    webhooks = extensions.get("webhooks") or {}
    deliveries = [
        {**d, "body": _bytes(d.get("body")), "in_flight": False} if isinstance(d, dict) else d
        for d in webhooks.get("deliveries") or []
    ]
    sinks = [
        {**s, "received": [{**r, "body": _bytes(r.get("body"))} if isinstance(r, dict) else r for r in s["received"]]}
        if isinstance(s, dict) and isinstance(s.get("received"), list)
        else s
        for s in extensions.get("sinks") or []
    ]
    # The schedule is rebuilt from the deliveries when the state is restored.
    return {
        "endpoints": webhooks.get("endpoints") or [],
        "deliveries": deliveries,
        "due": [],
        "due_seq": 0,
        "sinks": sinks,
    }


def _bytes(text: Any) -> Any:
    return base64.urlsafe_b64encode(text.encode()).decode() if isinstance(text, str) else text


def _text_bodies(journal: Any) -> Any:
    """Documents written before journal bodies were kept as text carry the parsed body."""
    if not isinstance(journal, list):
        return journal
    for entry in journal:
        body = entry.get("body") if isinstance(entry, dict) else None
        if body is not None and not isinstance(body, str):
            text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
            entry["body"] = text
            entry.setdefault("body_size", len(text.encode()))
    return journal
