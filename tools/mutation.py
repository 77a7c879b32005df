"""Mutation score of the core modules: ``make mutation`` (a measurement, not part of ``make test``).

For each module below, mutmut (3.x) mutates that module alone and runs only the tests named beside
it, in a scratch copy of the project under ``build/mutation/<module>/`` (mutmut writes its
``mutants/`` tree into the directory it runs in). mutmut mutates the bodies of functions and
methods; module-level tables (the lifecycle's ``TRANSITIONS``, the rules table) are checked by the
tests that state them independently instead (tests/core/test_lifecycle_machine.py).

The score per module goes to ``docs/quality.md`` between its ``mutation-scores`` markers; the
survivors are listed beside it for a person to judge (kill them with a test, or explain there why
they are equivalent). ``python tools/mutation.py lifecycle store`` measures some modules only and
keeps the other modules' earlier rows.

A module is named by its path under ``mockserver/core`` without ``.py``, so modules in sub-packages
work too: ``posts/create`` (or ``posts.create``). One outside ``TARGETS`` names its tests after a
colon: ``python tools/mutation.py posts/create:tests/api/test_posts.py,tests/core/test_editing.py``.

A run is reproducible: the same code and tests give the same counts. The tests run with the
``mutation`` Hypothesis profile (tests/conftest.py: derandomized, no deadline, no health checks, no
shrinking, no example database), with a fixed ``PYTHONHASHSEED``, and mutmut keeps pytest's
collection order. Only a mutant that makes a test loop forever depends on the machine: it ends as
``timeout`` (counted as killed) when mutmut's CPU-time limit stops it.
"""

from __future__ import annotations

import collections
import math
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "mutation"
REPORT = ROOT / "docs" / "quality.md"
BEGIN, END = "<!-- mutation-scores:begin -->", "<!-- mutation-scores:end -->"

# module -> the fast test subset that should kill its mutants
TARGETS: dict[str, list[str]] = {
    "lifecycle": ["tests/core/test_lifecycle_machine.py"],
    "clock": ["tests/core/test_clock_and_ids.py"],
    "store": [
        "tests/core/test_store_scheduler.py",
        "tests/core/test_store_queries.py",
        # The account re-index of PostStore.changed, through the public API, deterministically.
        "tests/api/test_listing_after_retargeting.py",
    ],
    "targets": ["tests/core/test_targets.py", "tests/core/test_target_rules.py"],
    "validation": ["tests/core/test_validation.py", "tests/core/test_targets.py"],
    "scenarios": ["tests/core/test_scenarios.py"],
    "webhooks/outbox": [
        "tests/core/test_webhooks.py",
        "tests/api/test_webhooks.py",
        "tests/core/test_webhook_outbox_rules.py",
    ],
    "accounts/connections": [
        "tests/api/test_connect_flow.py",
        "tests/api/test_connect_edges.py",
        "tests/api/test_disconnect_expire.py",
        "tests/core/test_connection_refusals.py",
        "tests/core/test_connection_flow_rules.py",
        "tests/api/test_pending_selection.py",
        "tests/api/test_later_connects.py",
    ],
    "posts/publishing": [
        "tests/core/test_lifecycle_machine.py",
        "tests/api/test_posts.py",
        "tests/api/test_scenarios_http.py",
        "tests/api/test_async_mode.py",
        "tests/api/test_events.py",
        "tests/api/test_fast_completion.py",
        "tests/core/test_delivery_failures.py",
        "tests/api/test_velocity_caps.py",
        "tests/core/test_publishing_rules.py",
    ],
}
KILLED = {"killed", "timeout", "caught by type check"}
# Set order, and so anything that iterates a set of strings, is the same on every run.
HASH_SEED = "0"


def parse_target(argument: str) -> tuple[str, list[str]]:
    """``MODULE`` or ``MODULE:TEST,TEST``: the module's path under mockserver/core, and its tests.

    ``store``, ``posts/create``, ``posts.create``, ``core/posts/create.py`` and
    ``mockserver/core/posts/create.py`` all name modules the same way.
    """
    name, _, tests = argument.partition(":")
    module = name.removesuffix(".py").removeprefix("mockserver/").removeprefix("core/")
    if "/" not in module:
        module = module.replace(".", "/")
    if not module or not (ROOT / "mockserver" / "core" / f"{module}.py").is_file():
        raise ValueError(f"no module mockserver/core/{module}.py")
    subset = [t for t in tests.split(",") if t] if tests else TARGETS.get(module, [])
    if not subset:
        raise ValueError(f"core/{module}.py has no test subset in TARGETS; name it: {module}:tests/...py,...")
    return module, subset


def dotted(module: str) -> str:
    """The module's import name, as mutmut names its mutants: ``mockserver.core.posts.create``."""
    return "mockserver.core." + module.replace("/", ".")


def measure(module: str, tests: list[str]) -> tuple[collections.Counter[str], list[str], float]:
    """Run mutmut on ``core/<module>.py``: counts by status, the survivors' names, seconds taken."""
    work = WORK / module.replace("/", ".")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ("mockserver", "tests", "fixtures", "scenarios"):
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    config = f"""

[tool.mutmut]
source_paths = ["mockserver"]
only_mutate = ["mockserver/core/{module}.py"]
also_copy = ["fixtures", "scenarios"]
pytest_add_cli_args_test_selection = {tests!r}
pytest_add_cli_args = ["-p", "no:xdist", "-q", "-x", "--hypothesis-profile=mutation"]
"""
    (work / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text() + config.replace("'", '"'))
    mutmut = [str(Path(sys.executable).with_name("mutmut"))]
    children = os.environ.get("MUTATION_CHILDREN", "2")
    started = time.monotonic()
    command = [*mutmut, "run", "--max-children", children]
    environment = {**os.environ, "PYTHONHASHSEED": HASH_SEED}
    run = subprocess.run(command, check=False, cwd=work, capture_output=True, text=True, env=environment)
    if run.returncode != 0:
        sys.exit(f"mutmut run failed for {module}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    command = [*mutmut, "results", "--all", "true"]
    results = subprocess.run(command, check=False, cwd=work, capture_output=True, text=True, env=environment)
    counts: collections.Counter[str] = collections.Counter()
    survivors: list[str] = []
    for name, status in re.findall(r"^\s*(\S+__mutmut_\d+): (.+)$", results.stdout, re.M):
        counts[status.strip()] += 1
        if status.strip() not in KILLED:
            survivors.append(f"{name} ({status.strip()})")
    return counts, survivors, time.monotonic() - started


def score(counts: collections.Counter[str]) -> float:
    total = sum(counts.values())
    return 100.0 * sum(counts[s] for s in KILLED) / total if total else 100.0


def _earlier_rows(text: str, measured: Collection[str]) -> tuple[list[str], list[str]]:
    """The table rows and survivor lines of modules this run did not measure, kept from the last report."""
    rows = tuple(f"| `core/{module}.py` |" for module in measured)
    names = tuple(f"- `{dotted(module)}." for module in measured)
    lines = text.splitlines()
    table = [line for line in lines if line.startswith("| `core/") and not line.startswith(rows)]
    survivors = [line for line in lines if line.startswith("- `mockserver.core.") and not line.startswith(names)]
    return table, survivors


def write_report(
    rows: dict[str, tuple[collections.Counter[str], list[str], float]], subsets: dict[str, list[str]]
) -> None:
    text = REPORT.read_text() if REPORT.exists() else ""
    earlier_table, earlier_survivors = _earlier_rows(text[text.find(BEGIN) :] if BEGIN in text else "", rows)
    lines = [
        BEGIN,
        f"Last run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with mutmut on {os.cpu_count()} cores"
        f" (`make mutation`), measuring {', '.join(f'`core/{m}.py`' for m in rows)}; the other rows are kept"
        " from earlier runs. Scores are rounded down, so 100 % means every mutant was killed.",
        "",
        "| module | mutants | killed | survived | other | score | test subset | seconds |",
        "|---|---:|---:|---:|---:|---:|---|---:|",
        *earlier_table,
    ]
    for module, (counts, _, seconds) in rows.items():
        total = sum(counts.values())
        killed = sum(counts[s] for s in KILLED)
        other = total - killed - counts["survived"]
        subset = ", ".join(f"`{t}`" for t in subsets[module])
        lines.append(
            f"| `core/{module}.py` | {total} | {killed} | {counts['survived']} | {other} | "
            f"{math.floor(score(counts))} % | {subset} | {seconds:.0f} |"
        )
    lines += ["", "Mutants not killed (see the judgements below):", "", *earlier_survivors]
    for _, survivors, _ in rows.values():
        lines += [f"- `{name}`" for name in survivors]
    lines.append(END)
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text += ("\n" if text else "") + block + "\n"
    REPORT.write_text(text)


def main(argv: list[str]) -> int:
    try:
        targets = dict(parse_target(argument) for argument in argv) if argv else dict(TARGETS)
    except ValueError as exc:
        print(f"{exc}; modules with a test subset: {list(TARGETS)}", file=sys.stderr)
        return 2
    rows = {}
    for module, tests in targets.items():
        print(f"mutation: core/{module}.py ...", flush=True)
        rows[module] = measure(module, tests)
        counts, survivors, seconds = rows[module]
        total = sum(counts.values())
        print(f"  {score(counts):.0f} % killed of {total} ({dict(counts)}) in {seconds:.0f} s", flush=True)
        for name in survivors:
            print(f"  not killed: {name}", flush=True)
        # Written after each module, so an interrupted run still leaves what it measured; modules not
        # measured in this run keep their earlier rows.
        write_report(rows, targets)
    print(f"wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
