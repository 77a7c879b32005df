"""One page of an inbox list: the cursor is the key of the last item of the previous page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from mockserver.core.errors import ValidationFailed

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    # None on the last page: the SDK follows any other value, an empty string included.
    next_cursor: str | None


def page_of(items: Sequence[T], key: Callable[[T], str], limit: int, cursor: str | None) -> Page[T]:
    start = 0
    if cursor is not None:
        keys = [key(item) for item in items]
        if cursor not in keys:
            raise ValidationFailed.invalid("cursor", "cursor is not valid for this list")
        start = keys.index(cursor) + 1
    chosen = list(items[start : start + limit])
    more = start + limit < len(items)
    return Page(chosen, key(chosen[-1]) if more and chosen else None)
