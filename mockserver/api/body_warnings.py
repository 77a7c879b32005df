"""What a request said that the API will not read as sent: unknown keys and coerced values of the
body, and query parameters the route does not have.

The real API ignores unknown fields and lax-parses values, so the mock accepts both; but a test
double that answers 201 to ``{"schedule_at": ...}`` gives a false green. Each such key or value
becomes a ``BodyWarning``: the pipeline sends them in ``X-Mock-Warnings`` and the journal, and strict
mode (``serve --strict``, ``X-Mock-Strict: 1``) refuses the request with the first one instead.

The shape of each request model is read from its pydantic fields once, so the walk over a body is
a few dictionary lookups per key (it runs on every create).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import orjson
from pydantic import BaseModel

from mockserver.core.errors import ValidationFailed
from mockserver.core.models import PLATFORMS

UNKNOWN = "validation.unknown_field"
INVALID_TYPE = "validation.invalid_type"
HEADER = "X-Mock-Warnings"
STRICT_HEADER = "x-mock-strict"
# Fields people send from other APIs or older docs, and the field that does the job here.
KNOWN_MISTAKES = {
    "media_url": "media",
    "media_urls": "media",
    "image_url": "media",
    "image_urls": "media",
    "video_url": "media",
    "attachments": "media",
    "schedule_time": "scheduled_at",
    "scheduled_time": "scheduled_at",
    "scheduled_for": "scheduled_at",
    "publish_at": "scheduled_at",
    "accounts": "targets",
    "account_ids": "targets",
    "body": "text",
    "content": "text",
    "caption": "text",
}
# Keys with no field to suggest, and why they are not needed.
NOT_NEEDED = {"platform": "the platform comes from the account"}
MAX_IN_HEADER = 20
VALUE_PREVIEW = 40


@dataclass(frozen=True, slots=True)
class BodyWarning:
    field: str
    code: str  # validation.unknown_field | validation.invalid_type
    message: str
    suggestion: str | None = None

    def refusal(self) -> ValidationFailed:
        """What strict mode answers instead of reading the body leniently."""
        meta: dict[str, Any] = {"field": self.field, "suggestion": self.suggestion}
        return ValidationFailed(self.message, code=self.code, meta=meta)


# -- the shape of a model: which keys exist and which values pydantic would coerce ----------------

Kind = Literal["bool", "int", "float", "any"]


@dataclass(frozen=True, slots=True)
class _Leaf:
    kind: Kind


@dataclass(frozen=True, slots=True)
class _List:
    item: _Node


@dataclass(frozen=True, slots=True)
class _Map:
    value: _Node
    keys: tuple[str, ...] | None = None  # the allowed keys, when they are a closed set


@dataclass(frozen=True, slots=True)
class _Object:
    fields: Mapping[str, _Node]
    open: bool  # extra keys are part of the model (extra="allow")
    # The fields whose values can hide a warning (not plain strings or free-form values), in order.
    checked: tuple[tuple[str, _Node], ...] = ()


_Node = _Leaf | _List | _Map | _Object
_ANY = _Leaf("any")


@cache
def shape_of(model: type[BaseModel]) -> _Object:
    fields: dict[str, _Node] = {}
    for name, info in model.model_fields.items():
        node = _node(info.annotation)
        if name == "platform_data" and isinstance(node, _Map) and isinstance(node.value, _Map):
            # Post-level platform_data is keyed by platform name; a misspelt one reaches no target.
            node = _Map(node.value, PLATFORMS)
        fields[info.alias or name] = node
    checked = tuple((key, node) for key, node in fields.items() if _can_warn(node))
    return _Object(fields, open=model.model_config.get("extra") == "allow", checked=checked)


def _can_warn(node: _Node) -> bool:
    if isinstance(node, _Leaf):
        return node.kind != "any"
    if isinstance(node, _List):
        return _can_warn(node.item)
    if isinstance(node, _Map):
        return node.keys is not None or _can_warn(node.value)
    return True


def _node(annotation: Any) -> _Node:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _node(get_args(annotation)[0])
    if origin in (Union, UnionType):
        options = [a for a in get_args(annotation) if a is not NoneType]
        return _node(options[0]) if len(options) == 1 else _ANY
    if origin in (list, tuple):
        args = get_args(annotation)
        return _List(_node(args[0]) if args else _ANY)
    if origin is dict:
        args = get_args(annotation)
        return _Map(_node(args[1]) if len(args) == 2 else _ANY)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return shape_of(annotation)
        if annotation is bool:
            return _Leaf("bool")
        if annotation is int:
            return _Leaf("int")
        if annotation is float:
            return _Leaf("float")
    return _ANY


# -- the walk -------------------------------------------------------------------------------------


def body_warnings(model: type[BaseModel], body: Any) -> list[BodyWarning]:
    """Every unknown key and coerced value of ``body`` (already accepted by ``model``), in body order."""
    out: list[BodyWarning] = []
    if isinstance(body, dict):
        _walk_object(shape_of(model), body, "", out)
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk_object(shape: _Object, data: dict[str, Any], path: str, out: list[BodyWarning]) -> None:
    fields = shape.fields
    if shape.open or data.keys() <= fields.keys():
        # The usual body: every key known, so only the values that can hide a coercion are visited.
        for key, node in shape.checked:
            value = data.get(key)
            if value is not None:
                _walk(node, value, _join(path, key), out)
        return
    for key, value in data.items():
        known = fields.get(key)
        if known is None:
            out.append(_unknown(_join(path, key), key, fields))
        else:
            _walk(known, value, _join(path, key), out)


def _walk(node: _Node, value: Any, path: str, out: list[BodyWarning]) -> None:
    if value is None:
        return
    if isinstance(node, _Leaf):
        if node.kind != "any" and not (node.kind == "bool" and (value is True or value is False)):
            _check_leaf(node.kind, value, path, out)
    elif isinstance(node, _Object):
        if isinstance(value, dict):
            _walk_object(node, value, path, out)
    elif isinstance(node, _List):
        if isinstance(value, list) and not (isinstance(node.item, _Leaf) and node.item.kind == "any"):
            for index, item in enumerate(value):
                _walk(node.item, item, f"{path}[{index}]", out)
    elif isinstance(value, dict):
        for key, item in value.items():
            if node.keys is not None and key not in node.keys:
                out.append(_unknown(_join(path, key), key, dict.fromkeys(node.keys)))
                continue
            _walk(node.value, item, _join(path, key), out)


def _check_leaf(kind: Kind, value: Any, path: str, out: list[BodyWarning]) -> None:
    if kind == "bool":
        if value is True or value is False:
            return
        read_as = _truth(value)
        expected = "true or false"
    elif kind == "int":
        if type(value) is int:
            return
        read_as = _integer(value)
        expected = "an integer"
    else:
        if type(value) in (int, float):
            return
        read_as = _number(value)
        expected = "a number"
    if read_as is None:
        return
    sent = _preview(value)
    out.append(
        BodyWarning(
            path,
            INVALID_TYPE,
            f"{path} must be {expected}, not {sent} (read as {read_as})",
            read_as,
        )
    )


def _truth(value: Any) -> str | None:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("1", "on", "t", "true", "y", "yes"):
            return "true"
        if lowered in ("0", "off", "f", "false", "n", "no"):
            return "false"
        return None
    if isinstance(value, int | float):
        return "true" if value else "false"
    return None


def _integer(value: Any) -> str | None:
    if value is True or value is False:
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        try:
            return str(int(float(value.strip())))
        except (ValueError, OverflowError):
            return None
    return None


def _number(value: Any) -> str | None:
    if value is True or value is False:
        return str(int(value))
    if isinstance(value, str):
        try:
            return repr(float(value.strip()))
        except ValueError:
            return None
    return None


def _preview(value: Any) -> str:
    text = orjson.dumps(value).decode()
    return text if len(text) <= VALUE_PREVIEW else text[: VALUE_PREVIEW - 3] + "..."


def _unknown(path: str, key: str, known: Mapping[str, Any]) -> BodyWarning:
    note = NOT_NEEDED.get(key)
    suggestion = None if note is not None else _suggest(key, known)
    hint = f" (did you mean {suggestion}?)" if suggestion else f" ({note})" if note else ""
    return BodyWarning(path, UNKNOWN, f"{path} is not a field of this request and was ignored{hint}", suggestion)


def _suggest(key: str, known: Mapping[str, Any]) -> str | None:
    mistaken = KNOWN_MISTAKES.get(key)
    if mistaken is not None and mistaken in known:
        return mistaken
    close = difflib.get_close_matches(key.lower(), list(known), n=1, cutoff=0.75)
    return close[0] if close else None


# -- the query string -----------------------------------------------------------------------------

# Query parameters people copy from guide pages that the reference does not have, and what happens.
QUERY_NOTES = {
    "platform": "the reference has no platform parameter here: the call applies to the whole post on every "
    "platform; some platform guide pages show ?platform=",
}


@cache
def query_names(model: type[BaseModel] | None) -> frozenset[str]:
    """The parameter names ``model`` reads from a query string (its field names and aliases)."""
    if model is None:
        return frozenset()
    return frozenset(
        name
        for key, info in model.model_fields.items()
        for name in (key, info.alias, info.validation_alias)
        if isinstance(name, str)
    )


def query_warnings(model: type[BaseModel] | None, keys: list[str]) -> list[BodyWarning]:
    """A warning per query parameter the route does not read (``model`` is its query, if any)."""
    known = query_names(model)
    out: list[BodyWarning] = []
    for key in dict.fromkeys(keys):
        if key in known:
            continue
        note = QUERY_NOTES.get(key)
        suggestion = None if note is not None or not known else _suggest(key, dict.fromkeys(known))
        hint = f" (did you mean {suggestion}?)" if suggestion else f" ({note})" if note else ""
        message = f"query parameter {key} is not a parameter of this request and was ignored{hint}"
        out.append(BodyWarning(f"query.{key}", UNKNOWN, message, suggestion))
    return out


# -- on the wire ----------------------------------------------------------------------------------


def header_value(warnings: list[BodyWarning]) -> str:
    """One header line: the messages joined by "; ", printable ASCII only, at most 20 of them."""
    shown = [w.message for w in warnings[:MAX_IN_HEADER]]
    if len(warnings) > MAX_IN_HEADER:
        shown.append(f"and {len(warnings) - MAX_IN_HEADER} more (see GET /_mock/requests)")
    text = "; ".join(shown)
    if text.isascii() and text.isprintable():
        return text
    return "".join(c if c.isascii() and c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def warning_headers(warnings: list[BodyWarning]) -> list[tuple[bytes, bytes]]:
    """The reply's ``X-Mock-Warnings`` header, or none."""
    if not warnings:
        return []
    return [(HEADER.lower().encode(), header_value(warnings).encode("ascii"))]
