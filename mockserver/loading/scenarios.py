"""Scenario files: YAML (``.yaml``/``.yml``) or JSON (``.json``) documents, and the bundled library.

Every problem is reported as ``ScenarioInvalid`` naming the file (and the field, once the file
parses), so a broken scenario stops the server before it starts, not in the middle of a test.
Duplicate keys are rejected too: YAML and JSON would otherwise keep the last one silently.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Hashable, Mapping
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from mockserver.core.bounds import MAX_JSON_DEPTH, depth_exceeds
from mockserver.core.errors import ScenarioInvalid
from mockserver.core.scenarios import ScenarioDocument, parse_scenario

SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 1024 * 1024
# Lines and flow items a document may have: the YAML parser is pure Python (about 0.1 ms an item),
# and a scenario's 200 rules need a few thousand.
MAX_ITEMS = 20_000


class _UniqueKeyLoader(yaml.SafeLoader):
    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        # An alias can repeat a subtree exponentially often: 652 bytes became 300 MB per answer.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in scenario files; write the value out", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            if isinstance(key, Hashable):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _DuplicateKey(ValueError):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"duplicate key {key!r}")
        result[key] = value
    return result


def _parse_text(path: Path, text: str) -> object:
    """The document's data; one nested past ``MAX_JSON_DEPTH`` levels is refused as any body would be."""
    items = text.count("\n") + text.count(",")
    if items > MAX_ITEMS:
        message = f"{path}: the document has {items} lines and items; at most {MAX_ITEMS}"
        raise ScenarioInvalid(message, meta={"field": "body", "limit": MAX_ITEMS})
    document: object = None
    deep = _flow_nesting(text) > MAX_JSON_DEPTH
    if not deep:
        try:
            document = _parse_any_depth(path, text)
        except RecursionError:
            deep = True
        else:
            deep = depth_exceeds(document, MAX_JSON_DEPTH)
    if deep:
        message = f"{path}: the document nests deeper than the limit of {MAX_JSON_DEPTH} levels"
        raise ScenarioInvalid(message, code="validation.body_too_deep", meta={"field": "body", "limit": MAX_JSON_DEPTH})
    return document


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _flow_nesting(text: str) -> int:
    """How deep ``text``'s brackets nest, told in C-speed steps: the YAML parser takes seconds to
    refuse a megabyte of ``[`` (brackets inside quotes count too, which only errs on the safe side)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return 0
    return max(accumulate(map(_STEP.__getitem__, _NOT_BRACKET.sub("", text))), default=0)


def _parse_any_depth(path: Path, text: str) -> object:
    if path.suffix == ".json":
        try:
            return json.loads(text, object_pairs_hook=_unique_pairs)
        except json.JSONDecodeError as exc:
            raise ScenarioInvalid(f"{path}: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
        except _DuplicateKey as exc:
            raise ScenarioInvalid(f"{path}: invalid JSON: {exc}") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ScenarioInvalid(f"{path}: invalid YAML: {exc.problem}{where}") from None
    except yaml.YAMLError as exc:
        raise ScenarioInvalid(f"{path}: invalid YAML: {exc}") from None


def read_scenario_file(path: Path) -> ScenarioDocument:
    """Read and validate one scenario file; errors name the file and, if it parses, the field."""
    if path.suffix not in SUFFIXES:
        raise ScenarioInvalid(f"{path}: unsupported file type; use one of {', '.join(SUFFIXES)}")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioInvalid(f"{path}: not a regular file (a FIFO, device or directory cannot be a scenario)")
        if info.st_size > MAX_FILE_BYTES:
            raise ScenarioInvalid(f"{path}: the file is larger than {MAX_FILE_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioInvalid(f"{path}: cannot read the file: {exc}") from None
    return parse_scenario(_parse_text(path, text), source=str(path))


def read_startup_scenario_file(path: Path) -> ScenarioDocument:
    """A ``--scenario`` file: one that holds no ``arrivals`` (they are scheduled when a document is
    activated, relative to that instant; a startup file would have none to be relative to)."""
    doc = read_scenario_file(path)
    if doc.arrivals:
        raise ScenarioInvalid(
            f"{path}: arrivals: a --scenario file cannot hold arrivals; activate it with PUT /_mock/scenarios "
            "or use_scenario() once the posts and accounts it names exist",
            meta={"field": "arrivals"},
        )
    return doc


def scenario_from_text(raw: bytes, *, source: str) -> ScenarioDocument:
    """A scenario document sent as YAML text (JSON is YAML too); errors name ``source`` and the field."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioInvalid(f"{source}: the document is not UTF-8 text", meta={"field": "body"}) from None
    return parse_scenario(_parse_text(Path(source), text), source=source)


def bundled_scenarios_dir() -> Path:
    """The repository's ``scenarios/`` in a checkout, else the copy packaged into the wheel."""
    checkout = Path(__file__).resolve().parents[2] / "scenarios"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parents[1] / "_data" / "scenarios"


@cache
def _load_bundled() -> tuple[ScenarioDocument, ...]:
    directory = bundled_scenarios_dir()
    paths = sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES) if directory.is_dir() else []
    found: dict[str, Path] = {}
    docs: list[ScenarioDocument] = []
    for path in paths:
        doc = read_scenario_file(path)
        if doc.name in found:
            raise ScenarioInvalid(
                f"{path}: name: {doc.name!r} is already used by {found[doc.name]}", meta={"field": "name"}
            )
        found[doc.name] = path
        docs.append(doc)
    return tuple(docs)


def bundled_scenarios() -> dict[str, ScenarioDocument]:
    """The bundled library by name; read once, then served from memory (a fresh dict each call)."""
    return {doc.name: doc for doc in _load_bundled()}


def resolve_scenario(value: object, *, source: str = "<inline>") -> ScenarioDocument:
    """A bundled scenario named by ``{"name": ...}`` (or a bare name), else ``value`` parsed as a document."""
    if isinstance(value, Mapping) and set(value) == {"name"}:
        value = value["name"]
        if not isinstance(value, str):
            raise ScenarioInvalid(f"{source}: name: expected the name of a bundled scenario", meta={"field": "name"})
    if isinstance(value, str):
        library = bundled_scenarios()
        if value not in library:
            names = ", ".join(sorted(library)) or "(none)"
            raise ScenarioInvalid(
                f"{source}: name: no bundled scenario is named {value!r}; bundled scenarios: {names}",
                meta={"field": "name"},
            )
        return library[value]
    return parse_scenario(value, source=source)
