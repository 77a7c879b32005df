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


CORE = PACKAGE / "core"


def _public_methods(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


def test_no_core_class_offers_more_than_25_public_use_cases() -> None:
    # One object with 97 public methods was the house's worst room: an area that grows past this
    # gets a facade of its own, as the accounts gave connections.
    import inspect

    from mockserver.core import backend
    from mockserver.core.accounts import area as accounts
    from mockserver.core.posts import area as posts
    from mockserver.core.tenancy import Area

    inherited = _public_methods(Area)
    crowded = {}
    for module in (backend, accounts, posts):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                count = len(_public_methods(cls) - inherited)
                if count > 25:
                    crowded[name] = count
    assert crowded == {}


def test_no_area_keeps_state_outside_the_tenant_state() -> None:
    # Areas act on ``TenantState``; an attribute assigned on ``self`` in an area would be state a
    # reset or a restore does not see (the injected sibling areas and the tenant are wiring).
    wiring = re.compile(
        r"self\.(tenant|accounts|attempts|velocity|intake|credits|audience|comments|conversations|reviews|mentions|linking|selections"
        r"|arrivals|overview|scripted|replies) = "
    )
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for folder in ("posts", "accounts", "media", "webhooks", "events", "limits", "inbox")
        for path in (CORE / folder).glob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bself\.\w+(\.\w+)* ?(: [^=]+)?= ", line)
        and not wiring.search(line)
        and "self.state." not in line
    ]
    assert offenders == []


def test_no_module_is_over_500_lines() -> None:
    # One job per module: a file past this has more than one, and gets split by job.
    long = {
        str(path.relative_to(PACKAGE)): count
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text().splitlines())) > 500
    }
    assert long == {}


def _layer_names(container: str) -> set[str]:
    config = tomllib.loads(PYPROJECT.read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c.get("containers") == [container])
    return {name.strip() for layer in contract["layers"] for name in layer.split("|")}


def test_every_module_of_the_package_and_of_the_core_has_a_layer() -> None:
    # import-linter checks only the modules a contract names: one left out could import anything.
    def children(folder: Path) -> set[str]:
        return {
            path.stem if path.is_file() else path.name
            for path in folder.iterdir()
            if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
        }

    assert children(PACKAGE) - _layer_names("mockserver") == set()
    assert children(CORE) - _layer_names("mockserver.core") == set()
