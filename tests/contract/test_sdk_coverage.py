"""README's SDK table: for each resource of the SDK 0.4, how many of its methods the mock serves.

The SDK's own source says which route each method calls; the route tables say which routes the mock
serves. A route added (or removed) without its README row changing fails here, with the new row.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import socialapi.resources

from mockserver.api.app import PUBLIC

README = Path(__file__).resolve().parents[2] / "README.md"
RESOURCES = Path(socialapi.resources.__file__).parent
CALLS = {
    "_get": "GET",
    "_get_paginated": "GET",
    "_post": "POST",
    "_post_multipart": "POST",
    "_patch": "PATCH",
    "_put": "PUT",
    "_delete": "DELETE",
}
ROW = re.compile(r"^\| `client\.(\w+)` \| (\d+) \| (\d+) \|", re.MULTILINE)


def _template(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]
    return None


def sdk_routes() -> dict[str, dict[str, tuple[str, str]]]:
    """resource attribute -> method name -> (HTTP method, path template) of the sync client."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for source in sorted(RESOURCES.glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for cls in tree.body:
            if not isinstance(cls, ast.ClassDef) or cls.name.startswith("Async"):
                continue
            methods: dict[str, tuple[str, str]] = {}
            for fn in cls.body:
                if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("_"):
                    continue
                # A path held in a variable first (``path = "/v1/posts/import"``) counts as that text.
                names: dict[str, str | None] = {}
                for node in ast.walk(fn):
                    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                        names.setdefault(node.targets[0].id, _template(node.value))
                for node in ast.walk(fn):
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                        verb = CALLS.get(node.func.attr)
                        first = node.args[0] if verb and node.args else None
                        path = (
                            names.get(first.id) if isinstance(first, ast.Name) else _template(first) if first else None
                        )
                        if verb and path:
                            methods[fn.name] = (verb, path)
                            break
            if methods:
                out[source.stem] = methods
    return out


def served(verb: str, path: str) -> bool:
    for method, route, _ in PUBLIC:
        pattern = "^" + re.sub(r"{[^}]+}", "[^/]+", route) + "$"
        if method == verb and re.match(pattern, path.replace("{}", "x")):
            return True
    return False


def test_readme_counts_the_sdk_methods_the_mock_serves() -> None:
    expected = {
        resource: (len(methods), sum(served(*route) for route in methods.values()))
        for resource, methods in sdk_routes().items()
    }
    text = README.read_text(encoding="utf-8")
    table = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in ROW.finditer(text)}
    wrong = {r: counts for r, counts in expected.items() if table.get(r) != counts}
    assert not wrong, "README's SDK table should say (methods, served): " + ", ".join(
        f"client.{r} {n} {s}" for r, (n, s) in sorted(wrong.items())
    )
    total = tuple(sum(counts[i] for counts in expected.values()) for i in (0, 1))
    assert f"| **all** | **{total[0]}** | **{total[1]}** |" in text


def test_every_account_side_method_is_served() -> None:
    routes = sdk_routes()
    for resource in ("accounts", "brands", "oauth"):
        missing = [name for name, route in routes[resource].items() if not served(*route) and name != "export"]
        assert not missing, f"client.{resource} methods without a route: {missing}"
