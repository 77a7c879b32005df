"""The one reader of request bodies: every body the mock parses, public or control, comes through here.

The same limits hold everywhere, with the same error envelope:

- size: a declared ``Content-Length`` past the route's limit is refused before anything is read, a
  streamed body as soon as it passes it (413 ``validation.body_too_large``);
- depth: JSON nesting past ``MAX_JSON_DEPTH`` levels (400 ``validation.body_too_deep``);
- encoding: JSON must be UTF-8 (400 ``validation.body_invalid``), a form is read as UTF-8 with
  undecodable bytes replaced, and a form has at most ``MAX_FORM_FIELDS`` fields.

The pipeline (``http.endpoint``) reads each route's body with ``read_limited``; the few routes that
answer without it (the sink receiver, the consent form) call ``read_body``. A presigned upload, which
may be larger than memory should hold, is hashed as it streams in by ``read_digested``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import orjson
from starlette.requests import Request
from starlette.types import Receive

from mockserver.api import messages
from mockserver.core.bounds import MAX_JSON_DEPTH, depth_exceeds, raw_depth_exceeds
from mockserver.core.errors import BodyInvalid, BodyTooLarge, DomainError
from mockserver.core.records.media import ReceivedBytes

MAX_FORM_FIELDS = 64


async def read_limited(receive: Receive, declared: str | None, limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes ``limit`` (never read whole)."""
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(messages.BODY_TOO_LARGE.format(limit=limit), meta={"limit": limit})
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # The client left (or took too long, see bounded_http.py): a partial body is no body.
            raise BodyInvalid(messages.BODY_CUT_SHORT, meta={"field": "body"})
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(messages.BODY_TOO_LARGE.format(limit=limit), meta={"limit": limit})
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def read_digested(
    receive: Receive, declared: str | None, limit: int, keep: int, too_large: Callable[[], DomainError]
) -> ReceivedBytes:
    """The body hashed as it streams in, its bytes kept only while they stay within ``keep`` (memory
    stays bounded); refused with ``too_large()`` as soon as it passes ``limit``."""
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large()
    sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    chunks: list[bytes] | None = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise BodyInvalid(messages.BODY_CUT_SHORT, meta={"field": "body"})
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large()
        sha256.update(chunk)
        md5.update(chunk)
        if chunks is not None:
            chunks.append(chunk)
            if size > keep:
                chunks = None
        if not message.get("more_body", False):
            break
    data = b"".join(chunks) if chunks is not None else None
    return ReceivedBytes(data, size, sha256.hexdigest(), md5.hexdigest())


async def read_body(request: Request, limit: int) -> bytes:
    """The body of a route outside the pipeline, under the same size limit."""
    return await read_limited(request.receive, request.headers.get("content-length"), limit)


def decode_json(raw: bytes, content_type: str) -> Any:
    """A JSON route's body: None when empty or not sent as JSON, else the parsed document (400 if broken)."""
    if not raw.strip():
        return None
    if content_type and "json" not in content_type and not content_type.startswith("text/"):
        return None
    if "yaml" in content_type:
        # YAML is read by the one handler that takes it (PUT /_mock/scenarios).
        return None
    return parse_json(raw)


def parse_json(raw: bytes) -> Any:
    """``raw`` as JSON within the nesting limit; 400 in the envelope otherwise."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BodyInvalid(messages.BODY_NOT_JSON, meta={"field": "body"}) from None
    if too_deep(raw, body):
        raise too_deep_error()
    return body


def too_deep(raw: bytes, parsed: Any) -> bool:
    return raw_depth_exceeds(raw, MAX_JSON_DEPTH) and depth_exceeds(parsed, MAX_JSON_DEPTH)


def json_or_text(raw: bytes) -> Any:
    """A kept body as shown back: parsed when it is JSON within the nesting limit, else its text."""
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw.decode("utf-8", "replace")
    return raw.decode("utf-8", "replace") if too_deep(raw, parsed) else parsed


def check_json_depth(raw: bytes) -> None:
    """400 when ``raw`` is JSON nested past the limit; anything else (text, broken JSON) passes."""
    if not raw_depth_exceeds(raw, MAX_JSON_DEPTH):
        return
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return
    if depth_exceeds(parsed, MAX_JSON_DEPTH):
        raise too_deep_error()


def parse_form(raw: bytes) -> dict[str, list[str]]:
    """An ``application/x-www-form-urlencoded`` body, at most ``MAX_FORM_FIELDS`` fields (400 past them)."""
    try:
        return parse_qs(raw.decode("utf-8", "replace"), max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise BodyInvalid(
            f"a form may have at most {MAX_FORM_FIELDS} fields", meta={"field": "body", "limit": MAX_FORM_FIELDS}
        ) from None


def too_deep_error() -> BodyInvalid:
    return BodyInvalid(
        messages.BODY_TOO_DEEP.format(limit=MAX_JSON_DEPTH),
        code="validation.body_too_deep",
        meta={"field": "body", "limit": MAX_JSON_DEPTH},
    )
