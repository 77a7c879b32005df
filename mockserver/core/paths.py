"""Paths given as a literal (``/v1/posts``) or a route template (``/v1/posts/{pid}``).

Scenario request rules, journal filters and verify expectations all match paths this one way.
"""

from __future__ import annotations

import re

PATH_PARAM = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
PATH_SHAPE = re.compile(r"/([A-Za-z0-9._~!$&'()*+,;=:@%/-]|\{[A-Za-z_][A-Za-z0-9_]*\})*")


def compile_path(path: str | None) -> tuple[str | None, re.Pattern[str] | None]:
    """``(literal, None)`` for a plain path, ``(None, regex)`` for a template; a parameter is one segment."""
    if path is None:
        return None, None
    if not PATH_PARAM.search(path):
        return path, None
    pieces = PATH_PARAM.split(path)
    return None, re.compile("[^/]+".join(re.escape(piece) for piece in pieces))


class PathPattern:
    __slots__ = ("_seen", "exact", "regex", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.exact, self.regex = compile_path(text)
        # A journal repeats a few paths many times: each is matched against the template once.
        self._seen: dict[str, bool] = {}

    def matches(self, path: str) -> bool:
        if self.exact is not None:
            return path == self.exact
        known = self._seen.get(path)
        if known is None:
            assert self.regex is not None
            known = self._seen[path] = self.regex.fullmatch(path) is not None
        return known
