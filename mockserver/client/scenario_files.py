"""Scenario specs the handle and the plugin accept: a bundled name, a file path, a mapping or a document."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockserver.core.errors import ScenarioInvalid
from mockserver.core.scenarios import ScenarioDocument, parse_scenario
from mockserver.loading.scenarios import SUFFIXES, read_scenario_file, resolve_scenario

if TYPE_CHECKING:
    pass


ScenarioSpec = str | Path | Mapping[str, Any] | ScenarioDocument


def is_scenario_path(value: str | Path) -> bool:
    """A ``Path``, or a string that names a file (has a suffix we read, or a directory part)."""
    if isinstance(value, Path):
        return True
    return value.endswith(SUFFIXES) or "/" in value or "\\" in value


def scenario_document(value: ScenarioSpec, *, base_dir: Path | None = None) -> ScenarioDocument:
    """A validated scenario from a bundled name, a file path, a mapping or a document.

    Relative paths are resolved against ``base_dir`` (the plugin passes the test file's directory).
    """
    if isinstance(value, ScenarioDocument):
        return value
    try:
        if isinstance(value, str | Path) and is_scenario_path(value):
            path = Path(value)
            if base_dir is not None and not path.is_absolute():
                path = base_dir / path
            return read_scenario_file(path)
        if isinstance(value, str):
            return resolve_scenario(value, source="scenario")
        if isinstance(value, Mapping):
            return parse_scenario(dict(value), source="scenario")
    except ScenarioInvalid as exc:
        # Test authors catch ``ValueError``; the domain error type is the server's business.
        raise ValueError(exc.message) from None
    raise TypeError(
        f"a scenario is a bundled scenario name, a file path, a dict or a ScenarioDocument, not {type(value).__name__}"
    )


def scenario_documents(
    values: ScenarioSpec | list[ScenarioSpec] | tuple[ScenarioSpec, ...], *, base_dir: Path | None
) -> list[ScenarioDocument]:
    """One or several scenario specs as validated documents (a list may mix names, paths and dicts)."""
    if isinstance(values, list | tuple):
        return [scenario_document(value, base_dir=base_dir) for value in values]
    return [scenario_document(values, base_dir=base_dir)]
