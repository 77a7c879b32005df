"""Stand-in bytes for media that has a type and a size but no stored content (the fixture media, and
presigned uploads too large to keep).

A client that downloads a fixture item's ``url`` gets exactly ``size_bytes`` bytes that start like a
real file of its ``content_type`` (the magic numbers a type sniffer reads), so code that checks a
download's length or sniffs its type works offline. The rest is zero padding: the bytes are the same
on every run and every machine.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator


def _png_head() -> bytes:
    # Signature, then a valid 1x1 RGB IHDR chunk (with its CRC) so PNG readers accept the header.
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


_JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
_GIF_HEAD = b"GIF89a\x01\x00\x01\x00\x00\x00\x00"
_WEBP_BRAND = b"WEBPVP8 "
_MP4_FTYP = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp42"
_MOV_FTYP = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  "
_WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"


CHUNK = 1024 * 1024


def placeholder_bytes(content_type: str, size: int) -> bytes:
    """``size`` bytes that a type sniffer recognises as ``content_type`` (headers need a few dozen bytes)."""
    return b"".join(placeholder_chunks(content_type, size))


def placeholder_chunks(content_type: str, size: int) -> Iterator[bytes]:
    """The placeholder in pieces of at most ``CHUNK`` zero bytes, so a large one is never built whole."""
    head = _head_of(content_type, size)
    if size <= len(head):
        yield head[:size]
        return
    tail = b"\xff\xd9" if head is _JPEG_HEAD and size >= len(head) + 2 else b""
    yield head
    zeros = size - len(head) - len(tail)
    while zeros > 0:
        step = min(zeros, CHUNK)
        yield bytes(step)
        zeros -= step
    if tail:
        yield tail


def _head_of(content_type: str, size: int) -> bytes:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "image/png":
        return _png_head()
    if kind in ("image/jpeg", "image/jpg"):
        return _JPEG_HEAD
    if kind == "image/gif":
        return _GIF_HEAD
    if kind == "image/webp":
        return b"RIFF" + struct.pack("<I", max(size - 8, 4)) + _WEBP_BRAND
    if kind == "video/mp4":
        return _mp4_like(_MP4_FTYP, size)
    if kind == "video/quicktime":
        return _mp4_like(_MOV_FTYP, size)
    if kind == "video/webm":
        return _WEBM_HEAD
    return b""


def _mp4_like(ftyp: bytes, size: int) -> bytes:
    """An ``ftyp`` box, then one ``mdat`` box whose declared length covers the rest of the file."""
    rest = size - len(ftyp)
    if rest < 8:
        return ftyp
    return ftyp + struct.pack(">I", rest) + b"mdat"
