"""What a brand-restricted API key reaches (docs/team.md, the docs' guides/scoped-keys).

A key with ``brand_ids`` sees the accounts of those brands, the brands themselves, and the posts
with at least one target on those accounts (a draft without targets is nobody's). Everything else
answers as if it did not exist: a plain 404 (``account.not_found``, ``brand.not_found``,
``post.not_found``), never a 403, and lists leave it out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from mockserver.core.errors import NotFound
from mockserver.core.models import Account, Post

# A path naming one resource of a kind a brand restriction hides: the kind and the id's group.
# Literal segments (``/v1/posts/validate``, ``/v1/accounts/connect``) are not ids and stay open.
_NAMED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("post", re.compile(r"/v1/posts/(?!import$|validate$)([^/]+)(?:/.*)?")),
    ("account", re.compile(r"/v1/accounts/(?!connect$|pending(?:/|$))([^/]+)(?:/.*)?")),
    ("account", re.compile(r"/v1/platforms/youtube/accounts/([^/]+)(?:/.*)?")),
    ("brand", re.compile(r"/v1/brands/([^/]+)(?:/.*)?")),
)


class PostLookup(Protocol):
    def get(self, post_id: str) -> Post | None: ...


@dataclass(frozen=True, slots=True)
class Reach:
    """The brands a restricted key was given; an unrestricted key has no ``Reach`` at all."""

    brand_ids: frozenset[str]

    def account_ids(self, accounts: Mapping[str, Account]) -> frozenset[str]:
        return frozenset(a.id for a in accounts.values() if a.brand_id in self.brand_ids)

    def sees_account(self, account: Account) -> bool:
        return account.brand_id in self.brand_ids

    def sees_post(self, post: Post, accounts: Mapping[str, Account]) -> bool:
        return any((a := accounts.get(t.account_id)) is not None and self.sees_account(a) for t in post.targets)

    def check_brand(self, brand_id: str) -> None:
        """A brand outside the reach reads as one that does not exist."""
        if brand_id not in self.brand_ids:
            raise NotFound.of("brand", brand_id)


def reach_of(brand_ids: Iterable[str]) -> Reach | None:
    """The reach of a key with these brands: ``None`` (everything) when it lists none."""
    brands = frozenset(brand_ids)
    return Reach(brands) if brands else None


def check_reach(reach: Reach, path: str, accounts: Mapping[str, Account], posts: PostLookup) -> None:
    """404 when ``path`` names a post, account or brand outside ``reach``.

    An id nobody holds is left to the route, which answers its own 404: the two must read alike.
    """
    for kind, pattern in _NAMED:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        ident = match.group(1)
        if kind == "brand":
            hidden = ident not in reach.brand_ids
        elif kind == "account":
            account = accounts.get(ident)
            hidden = account is not None and not reach.sees_account(account)
        else:
            post = posts.get(ident)
            hidden = post is not None and not reach.sees_post(post, accounts)
        if hidden:
            raise NotFound.of(kind, ident)
        return
