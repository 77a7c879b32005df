"""Whether the browser tests run, skip or fail when Chromium is missing: decided apart from pytest.

`make test` never installs a browser. A developer without one gets the browser tests skipped with
the step that installs it; CI (``CI`` set to true, as CI services do) must not pass without them, so
there a missing browser fails the run instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

INSTALL_STEP = "make chromium"
TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class BrowserVerdict:
    action: str  # run | skip | fail
    reason: str = ""


def browser_verdict(chromium: str | None, environ: Mapping[str, str]) -> BrowserVerdict:
    """``chromium`` is the browser's path (``shutil.which``), None when it is not installed."""
    if chromium:
        return BrowserVerdict("run")
    if environ.get("CI", "").strip().lower() in TRUE:
        return BrowserVerdict(
            "fail",
            f"chromium is missing and CI is set, so the browser tests may not be skipped: run `{INSTALL_STEP}` "
            "(Debian's chromium package, as root or through sudo) before `make test`",
        )
    return BrowserVerdict(
        "skip",
        f"chromium is missing: `{INSTALL_STEP}` installs it (Debian's chromium package, as root or through sudo)",
    )
