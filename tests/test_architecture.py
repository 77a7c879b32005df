"""House rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mockserver"
CORE_ALLOWED = {"pydantic", "pydantic_core", "sortedcontainers", "mockserver"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((PACKAGE / "core").glob("*.py")), ids=lambda p: p.name)
def test_core_imports_only_the_stdlib_and_pydantic(path: Path) -> None:
    import sys

    third_party = {name for name in _imports(path) if name not in sys.stdlib_module_names}
    assert third_party <= CORE_ALLOWED, f"{path.name} imports {third_party - CORE_ALLOWED}"


def test_core_does_not_reach_into_the_shells() -> None:
    for path in (PACKAGE / "core").glob("*.py"):
        source = path.read_text()
        for shell in ("mockserver.api", "mockserver.loading", "mockserver.cli", "mockserver.mock"):
            assert shell not in source, f"{path.name} imports {shell}"


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
