"""Deterministic identifiers in the real API's shape: a prefix and 26 Crockford base-32 characters.

The first 10 characters encode the fake-clock millisecond (as in a ULID), the last 16 come from a
``random.Random`` seeded from (seed, tenant); the same request sequence therefore yields the same ids.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime

from mockserver.core.timefmt import epoch_micros

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PAIRS = [a + b for a in CROCKFORD for b in CROCKFORD]


def _base32(value: int, length: int) -> str:
    chars: list[str] = []
    for _ in range(length // 2):
        chars.append(_PAIRS[value & 0x3FF])
        value >>= 10
    return "".join(reversed(chars))


def _base32_80(v: int) -> str:
    """``_base32(v, 16)`` unrolled: ids are made on every create, event and delivery."""
    p = _PAIRS
    return (
        p[v >> 70]
        + p[(v >> 60) & 1023]
        + p[(v >> 50) & 1023]
        + p[(v >> 40) & 1023]
        + p[(v >> 30) & 1023]
        + p[(v >> 20) & 1023]
        + p[(v >> 10) & 1023]
        + p[v & 1023]
    )


def stable_seed(*parts: object) -> int:
    """A seed that, unlike the builtin string hash, does not change between processes."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class IdFactory:
    """Makes ids for one tenant. ``reset()`` starts the sequence again."""

    def __init__(self, seed: int, tenant: str) -> None:
        self._seed_value = stable_seed(seed, tenant, "ids")
        self._rng = random.Random(self._seed_value)
        self.issued = 0
        self._last_millis = -1
        self._last_time = ""

    def reset(self) -> None:
        self._rng.seed(self._seed_value)
        self.issued = 0

    def next(self, prefix: str, at: datetime) -> str:
        self.issued += 1
        millis = epoch_micros(at) // 1000
        if millis != self._last_millis:
            # The fake clock stands still between advances: the time part is usually the last one.
            self._last_millis = millis
            self._last_time = _base32(millis & ((1 << 50) - 1), 10)
        return prefix + self._last_time + _base32_80(self._rng.getrandbits(80))

    def digits(self, count: int) -> str:
        """A platform-style numeric id of ``count`` digits (no leading zero)."""
        low = 10 ** (count - 1)
        # getrandbits is several times cheaper than randrange; the modulo bias is irrelevant here.
        return str(low + self._rng.getrandbits(70) % (9 * low))

    def token(self, length: int, alphabet: str) -> str:
        """``length`` characters of ``alphabet`` (at most 64 of them), 6 random bits each."""
        bits = self._rng.getrandbits(6 * length)
        size = len(alphabet)
        return "".join(alphabet[((bits >> (6 * i)) & 63) % size] for i in range(length))

    def hex(self, length: int) -> str:
        return f"{self._rng.getrandbits(length * 4):0{length}x}"

    def getstate(self) -> tuple[object, int]:
        return (self._rng.getstate(), self.issued)

    def setstate(self, state: tuple[object, int]) -> None:
        self._rng.setstate(state[0])  # type: ignore[arg-type]
        self.issued = state[1]


def derived_id(prefix: str, at: datetime, *parts: object) -> str:
    """An id in the usual shape for a record that is derived, not created: the same parts give the same id.

    It takes nothing from the tenant's id sequence, so deriving one never shifts the ids of later posts.
    """
    millis = epoch_micros(at) // 1000
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=10).digest()
    return prefix + _base32(millis & ((1 << 50) - 1), 10) + _base32_80(int.from_bytes(digest, "big"))
