"""The error tree drawn in core/errors.py is the real one, and every shared message is in use."""

from __future__ import annotations

import re
from pathlib import Path

import mockserver.api.app  # noqa: F401  (loads every module that could define an error)
from mockserver.core import errors, messages
from mockserver.core.errors import DomainError

PACKAGE = Path(errors.__file__).parents[1]


def drawn_tree() -> set[tuple[str, str | None, str]]:
    """(class, parent, default code) for each line of the docstring's tree."""
    rows: set[tuple[str, str | None, str]] = set()
    parents: dict[int, str] = {}
    doc = errors.__doc__ or ""
    for line in doc[doc.index("\nDomainError ") :].splitlines():
        found = re.match(r"^([│ ├└─]*)([A-Z]\w+)\s+([\w.<>]+)", line)
        if found is None:
            continue
        depth = len(found.group(1))
        parents[depth] = found.group(2)
        parent = parents.get(depth - 4) if depth else None
        rows.add((found.group(2), parent, found.group(3).rstrip(";,")))
    return rows


def real_tree() -> set[tuple[str, str | None, str]]:
    rows: set[tuple[str, str | None, str]] = {("DomainError", None, DomainError.code)}
    todo = [DomainError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            rows.add((sub.__name__, cls.__name__, sub.code))
            todo.append(sub)
    return rows


def test_the_docstring_draws_every_error_class_with_its_parent_and_code() -> None:
    assert drawn_tree() == real_tree()


def test_every_shared_message_is_used_by_the_package() -> None:
    sources = "\n".join(p.read_text() for p in PACKAGE.rglob("*.py") if p.name != "messages.py")
    names = [name for name in vars(messages) if name.isupper()]
    assert names
    assert [name for name in names if f"messages.{name}" not in sources] == []
