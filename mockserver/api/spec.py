"""Operation metadata on handlers, read by the pipeline (``api/http.py``) and the OpenAPI generator
(``api/openapi.py``), and handlers named in the route table but imported on first use.

Each handler declares its request model, query model and response models by status. The same
pydantic models parse requests and describe responses, so the served document cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Operation:
    summary: str
    request: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    # status -> model of the body; None means no body (204) or a non-JSON body.
    responses: Mapping[int, type[BaseModel] | None] = field(default_factory=dict)
    # Error statuses this operation can answer (always in the error envelope).
    errors: tuple[int, ...] = ()
    request_content_type: str = "application/json"
    tags: tuple[str, ...] = ()
    # The handler reads the raw bytes itself (a state document); the pipeline does not parse them.
    raw_body: bool = False
    # A larger body than ``--max-body-bytes`` this operation accepts (an upload, a CSV, a state document).
    max_body_bytes: int | None = None

    @property
    def takes_json(self) -> bool:
        """Whether the pipeline parses the body as JSON: only for a JSON request model."""
        return self.request is not None and self.request_content_type == "application/json" and not self.raw_body


def operation(
    summary: str,
    *,
    request: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    responses: Mapping[int, type[BaseModel] | None],
    errors: tuple[int, ...] = (),
    request_content_type: str = "application/json",
    raw_body: bool = False,
    max_body_bytes: int | None = None,
) -> Callable[[F], F]:
    def attach(handler: F) -> F:
        handler.__operation__ = Operation(  # type: ignore[attr-defined]
            summary,
            request,
            query,
            dict(responses),
            errors,
            request_content_type,
            raw_body=raw_body,
            max_body_bytes=max_body_bytes,
        )
        return handler

    return attach


def operation_of(handler: Callable[..., Any] | Deferred) -> Operation | None:
    return getattr(handler_of(handler), "__operation__", None)


def handler_of(handler: Callable[..., Any] | Deferred) -> Callable[..., Any]:
    """The handler itself, imported now if the route table names it ``deferred``."""
    return handler.resolve() if isinstance(handler, Deferred) else handler


@dataclass(frozen=True, slots=True)
class Deferred:
    """A handler of ``mockserver.api``, named by module and function, imported on its route's first request.

    Most runs use a few areas (posts, accounts, media); importing every other handler module with
    its shapes at start cost 60 ms of the half-second start-up target (bench/PROFILE.md).
    """

    module: str
    name: str

    def resolve(self) -> Callable[..., Any]:
        handler: Callable[..., Any] = getattr(import_module(f"mockserver.api.{self.module}"), self.name)
        return handler


def deferred(dotted: str) -> Deferred:
    """``deferred("inbox.list_comments")``: ``mockserver.api.inbox.list_comments``, imported on first use."""
    module, _, name = dotted.rpartition(".")
    return Deferred(module, name)
