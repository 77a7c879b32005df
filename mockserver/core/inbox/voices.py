"""The simulated audience's people and words: small pools, picked by a generator the caller seeds."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

FIRST = ("Maya", "Leo", "Ines", "Tomas", "Aiko", "Noah", "Zara", "Eli", "Priya", "Jonas", "Lucia", "Omar")
LAST = ("R.", "K.", "M.", "Okafor", "Lindqvist", "Santos", "Nakamura", "Dubois", "Haddad", "Novak")
COMMENTS = (
    "Love this!",
    "Where can I buy it?",
    "Is this available in my city?",
    "My order still hasn't arrived, can someone help?",
    "This made my morning.",
    "How much does it cost?",
    "Great photo!",
    "Do you ship internationally?",
    "Not impressed, honestly.",
    "Tagging a friend who needs this.",
)
MESSAGES = (
    "Hi! Are you open on Sunday?",
    "Can I change my order?",
    "Do you have gift cards?",
    "My package arrived damaged.",
    "Thanks for the quick reply!",
    "Is there a discount for students?",
)
REVIEWS = (
    (5, "Best coffee in town, friendly staff."),
    (4, "Good place, a bit crowded at lunch."),
    (3, "Decent, but the wait was long."),
    (2, "My latte was cold."),
    (1, "Rude service, will not come back."),
    (5, "Lovely atmosphere and great pastries."),
)
MENTIONS = ("Morning fuel from @{u}", "Thanks @{u} for the beans!", "@{u} is my favourite spot", "Shoutout to @{u}")
# Each account's regular customers: the same person writing again renews the conversation's window.
CUSTOMERS_PER_ACCOUNT = 5


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    username: str


def person(rng: random.Random) -> Person:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    number = rng.randrange(10**8, 10**9)
    return Person(str(number), f"{first} {last}", f"{first.lower()}{number % 1000}")


def customer(seed: int, account_id: str, index: int) -> Person:
    """The ``index``-th regular customer of an account (0 to CUSTOMERS_PER_ACCOUNT - 1)."""
    return person(random.Random(f"{seed}:{account_id}:customer:{index}"))


def draw(*parts: object) -> bytes:
    """16 bytes that only ``parts`` decide: cheaper than seeding a generator for each comment."""
    return hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=16).digest()


def drawn_person(digest: bytes) -> Person:
    """A person from bytes 8 to 13 of ``draw(...)``."""
    first, last = FIRST[digest[8] % len(FIRST)], LAST[digest[9] % len(LAST)]
    number = 10**8 + int.from_bytes(digest[10:14], "big") % (9 * 10**8)
    return Person(str(number), f"{first} {last}", f"{first.lower()}{number % 1000}")


def drawn_comment(digest: bytes) -> tuple[str, str]:
    """A comment's platform id (bytes 0 to 7) and text (byte 14)."""
    platform_id = 10**16 + int.from_bytes(digest[:8], "big") % (9 * 10**16)
    return str(platform_id), COMMENTS[digest[14] % len(COMMENTS)]
