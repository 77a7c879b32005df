"""Small pictures drawn for media that has no stored bytes (the fixture media), so previews show one.

Each picture is a PNG written with zlib alone: a two-colour gradient, a disc and a horizon, the
colours taken from the media id, so the same id gives the same bytes on every run and machine and
different ids are told apart at a glance. A video's picture carries a play sign.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from functools import lru_cache

SIZE = 200
Colour = tuple[int, int, int]


def _colours(seed: str) -> tuple[Colour, Colour, Colour]:
    digest = hashlib.sha256(seed.encode()).digest()
    return (
        (digest[0], digest[1], digest[2]),
        (digest[3] // 2, digest[4] // 2, digest[5] // 2),
        (min(255, 128 + digest[6] // 2), min(255, 128 + digest[7] // 2), min(255, 128 + digest[8] // 2)),
    )


def _mix(a: Colour, b: Colour, share: float) -> Colour:
    return (
        round(a[0] + (b[0] - a[0]) * share),
        round(a[1] + (b[1] - a[1]) * share),
        round(a[2] + (b[2] - a[2]) * share),
    )


def _in_play_sign(x: int, y: int) -> bool:
    # A triangle pointing right, centred: the usual sign of a video.
    left, half = SIZE * 2 // 5, SIZE // 6
    dx, dy = x - left, abs(y - SIZE // 2)
    return 0 <= dx <= half * 2 and dy <= half - dx // 2


@lru_cache(maxsize=64)
def thumbnail_png(seed: str, video: bool = False) -> bytes:
    """A ``SIZE`` x ``SIZE`` RGB PNG drawn from ``seed`` (a media id)."""
    top, bottom, disc = _colours(seed)
    centre_x, centre_y, radius = SIZE * 2 // 3, SIZE // 3, SIZE // 6
    horizon = SIZE * 2 // 3
    ground = _mix(bottom, (0, 0, 0), 0.35)
    rows = []
    for y in range(SIZE):
        sky = _mix(top, bottom, y / (SIZE - 1))
        row = bytearray(b"\x00")  # filter type 0 for the scanline
        for x in range(SIZE):
            if video and _in_play_sign(x, y):
                pixel: Colour = (255, 255, 255)
            elif (x - centre_x) ** 2 + (y - centre_y) ** 2 <= radius * radius:
                pixel = disc
            elif y >= horizon:
                pixel = ground
            else:
                pixel = sky
            row += bytes(pixel)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(rows), 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
