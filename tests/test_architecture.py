"""House rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mockserver"
PYPROJECT = PACKAGE.parent / "pyproject.toml"
# What the domain may import besides the standard library; the rest of the layering is import-linter's
# (contracts in pyproject.toml, run by `make test`).
CORE_ALLOWED = {"pydantic", "sortedcontainers"}


def _distribution(requirement: str) -> str:
    name = re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_domain_contract_forbids_every_runtime_dependency_but_pydantic() -> None:
    config = tomllib.loads(PYPROJECT.read_text())
    declared = {_distribution(r) for r in config["project"]["dependencies"]}
    modules_of: dict[str, set[str]] = {}
    for module, distributions in importlib.metadata.packages_distributions().items():
        for distribution in distributions:
            modules_of.setdefault(_distribution(distribution), set()).add(module)
    modules = {m for d in declared for m in modules_of[d] if m.isidentifier() and not m.startswith("_")}
    contract = next(
        c for c in config["tool"]["importlinter"]["contracts"] if c.get("source_modules") == ["mockserver.core"]
    )
    assert modules - CORE_ALLOWED - set(contract["forbidden_modules"]) == set()


WALL_CLOCK = re.compile(r"datetime\.(now|utcnow)\(|time\.time\(|date\.today\(")


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "clock.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if WALL_CLOCK.search(line)
    ]
    assert offenders == []


def test_nothing_uses_the_process_wide_random_or_hash() -> None:
    pattern = re.compile(r"(?<![\w.])random\.(random|randint|choice|getrandbits|randrange|shuffle)\(|(?<![\w.])hash\(")
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in PACKAGE.rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


# Notes outside the repository: a user of the package or a reader of a clone does not have them.
OUTSIDE_NOTES = re.compile(r"\.\./shared|shared/(API\.md|vendor|STYLE\.md)|PERF-NOTES")


def test_user_facing_text_points_only_at_files_in_the_repository() -> None:
    root = PACKAGE.parent
    texts = [root / "README.md", *sorted((root / "docs").rglob("*.md")), *sorted(PACKAGE.rglob("*.py"))]
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in texts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if OUTSIDE_NOTES.search(line)
    ]
    assert offenders == []
