"""bench/RESULTS.md holds one marked section per benchmark: a run replaces its own and keeps the rest."""

from __future__ import annotations

import re
from pathlib import Path


def write_section(results: Path, begin: str, end: str, block: str) -> None:
    """Put ``block`` (its ``begin`` and ``end`` markers included) in place of the marked section, or append it."""
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")
