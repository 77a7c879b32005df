"""How messages name a field inside a request or a document: ``targets[0].account_id``."""

from __future__ import annotations

from collections.abc import Sequence


def field_path(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a path; ``""`` for the document itself (callers name that)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
