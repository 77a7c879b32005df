"""Paths given as a literal (``/v1/posts``) or a route template (``/v1/posts/{pid}``).

Scenario request rules, journal filters and verify expectations all match paths this one way, in
time linear in the path: a template is split into segments and each segment is matched by finding
its literal pieces left to right, never by a backtracking regex. Two parameters side by side
(``{a}{b}``) could split their text any way, so such a template is refused.
"""

from __future__ import annotations

import re

PATH_PARAM = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
# The alternatives start with disjoint characters, so this regex cannot backtrack.
PATH_SHAPE = re.compile(r"/([A-Za-z0-9._~!$&'()*+,;=:@%/-]|\{[A-Za-z_][A-Za-z0-9_]*\})*")
MAX_PATH_CHARS = 2048
MAX_PATH_PARAMS = 16
ADJACENT = re.compile(r"\}\{")


def path_problem(text: str) -> str | None:
    """Why ``text`` is not an acceptable path or template, or None when it is."""
    if len(text) > MAX_PATH_CHARS:
        return f"a path may have at most {MAX_PATH_CHARS} characters"
    if not PATH_SHAPE.fullmatch(text):
        return "expected a path such as /v1/posts or /v1/posts/{pid}/publish"
    if ADJACENT.search(text):
        return "two path parameters side by side ({a}{b}) cannot be told apart: separate them with text or /"
    if len(PATH_PARAM.findall(text)) > MAX_PATH_PARAMS:
        return f"a path template may have at most {MAX_PATH_PARAMS} parameters"
    return None


class Template:
    """A route template whose parameters each match one or more characters of one segment."""

    __slots__ = ("_segments", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # Each segment as its literal pieces: one piece for a literal segment, n + 1 for n parameters.
        self._segments = [tuple(PATH_PARAM.split(segment)) for segment in text.split("/")]

    def fullmatch(self, path: str) -> bool:
        segments = path.split("/")
        if len(segments) != len(self._segments):
            return False
        return all(_segment_matches(pieces, given) for pieces, given in zip(self._segments, segments, strict=True))


def _segment_matches(pieces: tuple[str, ...], segment: str) -> bool:
    """Whether ``segment`` is ``pieces`` joined by non-empty parameter values.

    Placing each middle piece at its leftmost possible position is always best (it leaves the most
    room for the rest), so one left-to-right pass decides: no backtracking.
    """
    if len(pieces) == 1:
        return segment == pieces[0]
    first, *middle, last = pieces
    if not segment.startswith(first):
        return False
    end = len(segment) - len(last)
    if end < len(first) or not segment.endswith(last):
        return False
    at = len(first)
    for piece in middle:
        found = segment.find(piece, at + 1, end - 1)
        if found < 0:
            return False
        at = found + len(piece)
    return end - at >= 1


def compile_path(path: str | None) -> tuple[str | None, Template | None]:
    """``(literal, None)`` for a plain path, ``(None, template)`` for a template; a parameter is one segment."""
    if path is None:
        return None, None
    if not PATH_PARAM.search(path):
        return path, None
    return None, Template(path)


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
            known = self._seen[path] = self.regex.fullmatch(path)
        return known
