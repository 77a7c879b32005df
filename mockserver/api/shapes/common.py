"""What every shape shares: the request and response bases, size limits, time fields, the error envelope."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field

from mockserver.core.bounds import SHORT_MAX
from mockserver.core.timefmt import format_instant, parse_instant

ID_MAX = 200
LIST_MAX = 100

ShortText = Annotated[str, Field(max_length=SHORT_MAX)]
Ident = Annotated[str, Field(min_length=1, max_length=ID_MAX)]
MediaIds = Annotated[list[Ident], Field(max_length=LIST_MAX)]
# The page size of every list: ``?limit=``, 1 to 100.
PageLimit = Annotated[int, Field(ge=1, le=100)]


class Request(BaseModel):
    """A request body or query string."""

    # Unknown fields are dropped silently, as the real API does. Validators are built on first use
    # (the first request of each kind), not at every server start.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class Out(BaseModel):
    """A response body, declared once: its fields document it and write it.

    ``of(...)`` builds an instance with ``build`` (no re-validation: the values come from the domain,
    not from a client) and ``wire_json`` turns it into the bytes on the wire with the model's own
    serializer. A key the class does not declare is refused when built, a required one missing too,
    so the body cannot drift from ``GET /openapi.json``.
    """

    # Built on first use (the first answer, the OpenAPI document), not at every server start.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        required = frozenset(name for name, field in cls.model_fields.items() if field.is_required())
        _KEYS[cls] = (required, frozenset(cls.model_fields))

    @classmethod
    def build(cls, fields: dict[str, Any]) -> Self:
        """An instance holding ``fields`` as given, in their order (the order on the wire).

        An optional field left out of ``fields`` is left out of the body; a nested shape must be an
        instance of its own ``Out`` class (``wire_json`` refuses a plain dict in its place).
        """
        required, declared = _KEYS[cls]
        if not (declared.issuperset(fields) and required.issubset(fields)):
            raise TypeError(_mismatch(cls, fields))
        out = _new(cls)
        _set(out, "__dict__", fields)
        _set(out, "__pydantic_fields_set__", set(fields))
        _set(out, "__pydantic_extra__", None)
        _set(out, "__pydantic_private__", None)
        return out

    @classmethod
    def validated(cls, fields: dict[str, Any]) -> Self:
        """``build`` for plain data off the hot path: validated first, so nested dicts become their own
        shapes and wrong types are refused, then only the given keys kept, in their order."""
        checked = cls.model_validate(fields)
        return cls.build({key: getattr(checked, key) for key in fields})


# On the path of every answer: a table and object's own methods are cheaper than class attributes of a model.
_KEYS: dict[type[Out], tuple[frozenset[str], frozenset[str]]] = {}
_new = object.__new__
_set = object.__setattr__


def _mismatch(shape: type[Out], keys: Iterable[str]) -> str:
    required, declared = _KEYS[shape]
    given = set(keys)
    problems = []
    if undeclared := sorted(given - declared):
        problems.append(f"undeclared keys {undeclared}")
    if missing := sorted(required - given):
        problems.append(f"missing required keys {missing}")
    return f"{shape.__name__} built with {' and '.join(problems)}: declare them on the class or build it right"


def wire_json(body: BaseModel) -> bytes:
    """The bytes of a response body, written by its shape's own serializer.

    A plain dict where the shape declares a nested shape is refused, not written as it is: pydantic
    reports it as a warning attributed to this module, which the filter below makes an error. (Its
    ``warnings="error"`` argument would do the same at a cost on every answer; the filter costs nothing
    until something is wrong.)
    """
    return body.__pydantic_serializer__.to_json(body)


warnings.filterwarnings("error", category=UserWarning, module=re.escape(__name__))


def instant(value: object) -> datetime | None:
    """A request's timestamp field: RFC 3339 text, or absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("expected an RFC 3339 timestamp string")
    return parse_instant(value)


def present(source: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The attributes ``names`` of ``source`` that are not None: a response's optional fields, left out when unset."""
    values = {name: getattr(source, name) for name in names}
    return {name: value for name, value in values.items() if value is not None}


def when(value: datetime | None) -> str | None:
    """A response's optional timestamp field."""
    return None if value is None else format_instant(value)


class ErrorDetail(Out):
    code: str
    message: str
    meta: dict[str, Any]


class ErrorOut(Out):
    error: ErrorDetail
    request_id: str

    @staticmethod
    def of(code: str, message: str, meta: dict[str, Any] | None, request_id: str) -> ErrorOut:
        detail = ErrorDetail.build({"code": code, "message": message, "meta": meta or {}})
        return ErrorOut.build({"error": detail, "request_id": request_id})


class SuccessOut(Out):
    success: bool

    @staticmethod
    def of() -> SuccessOut:
        return SuccessOut.build({"success": True})


class OkOut(Out):
    ok: bool

    @staticmethod
    def of() -> OkOut:
        return OkOut.build({"ok": True})
