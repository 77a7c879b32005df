"""Bounds on free-form input: how deep a JSON document may nest, how big a free-form object may be.

Every JSON body is checked against ``MAX_JSON_DEPTH`` before a handler sees it; objects the API
keeps as given (``platform_data``, scenario ``meta``) are also held to ``FREE_FORM_MAX_BYTES`` and
``FREE_FORM_MAX_DEPTH``, since they are stored, exported and sent back on every read.
"""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DEPTH = 64
# Text fields, wherever they come from (a JSON body, a CSV row).
TEXT_MAX = 100_000
SHORT_MAX = 5_000
FREE_FORM_MAX_DEPTH = 16
FREE_FORM_MAX_BYTES = 64 * 1024


def depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests containers more than ``limit`` levels deep (iterative: no recursion).

    Walked a level at a time with comprehensions, and empty containers are not descended into: a
    1 MiB body of ``[{},{},...]`` (350,000 objects) is checked in milliseconds, not half a second.
    """
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        children = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
        if children and depth + 1 > limit:
            return True
        level = [child for child in children if child]
    return False


def raw_depth_exceeds(raw: bytes, limit: int) -> bool:
    """A cheap first look at JSON text: fewer opening brackets than ``limit`` cannot nest deeper."""
    return raw.count(b"[") + raw.count(b"{") > limit


def free_form_problem(value: Any) -> str | None:
    """Why ``value`` is too big or too deep for a free-form object, or None when it fits."""
    if depth_exceeds(value, FREE_FORM_MAX_DEPTH):
        return f"nests deeper than {FREE_FORM_MAX_DEPTH} levels"
    try:
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
    except (TypeError, ValueError):
        return "is not JSON data"
    if size > FREE_FORM_MAX_BYTES:
        return f"is larger than {FREE_FORM_MAX_BYTES} bytes as JSON ({size})"
    return None


def bounded_free_form(value: Any) -> Any:
    """A pydantic after-validator: ``value`` unchanged, or ``ValueError`` saying what is too big."""
    problem = free_form_problem(value)
    if problem is not None:
        raise ValueError(f"the object {problem}")
    return value
