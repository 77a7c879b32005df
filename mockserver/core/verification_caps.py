"""How big a verify expectation may be: each one is checked against every entry of a journal of up
to ``--journal-size`` entries, so what one may ask for is capped (400 past the caps, naming them).
"""

from __future__ import annotations

import json
from typing import Any

from mockserver.core.bounds import depth_exceeds

# The work one expectation may ask for (400 past these): a JSON subset of at most this many levels,
# keys and list items (all levels together) and bytes as JSON, this many query fields, and texts.
# The members are what costs: each is searched for in every body and compared with every parsed one.
MAX_EXPECTED_JSON_DEPTH = 16
MAX_EXPECTED_JSON_MEMBERS = 64
MAX_EXPECTED_JSON_BYTES = 16 * 1024
MAX_EXPECTED_QUERY_FIELDS = 32
MAX_EXPECTED_TEXT = 1000


def expected_json_problem(expected: Any) -> str | None:
    """Why a JSON expectation is too big to be checked against a whole journal, or None when it fits."""
    if depth_exceeds(expected, MAX_EXPECTED_JSON_DEPTH):
        return f"json: nests deeper than {MAX_EXPECTED_JSON_DEPTH} levels"
    members = 0
    level = [expected]
    while level:
        containers = [item for item in level if isinstance(item, dict | list)]
        members += sum(len(item) for item in containers)
        if members > MAX_EXPECTED_JSON_MEMBERS:
            return f"json: at most {MAX_EXPECTED_JSON_MEMBERS} keys and list items in all"
        level = [child for item in containers for child in (item.values() if isinstance(item, dict) else item)]
    size = len(json.dumps(expected, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_EXPECTED_JSON_BYTES:
        return f"json: at most {MAX_EXPECTED_JSON_BYTES} bytes as JSON ({size})"
    return None
