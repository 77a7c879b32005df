"""Operation metadata on handlers, read by the OpenAPI generator (``api/openapi.py``).

Each handler declares its request model, query model and response models by status. The same
pydantic models parse requests and describe responses, so the served document cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
) -> Callable[[F], F]:
    def attach(handler: F) -> F:
        handler.__operation__ = Operation(  # type: ignore[attr-defined]
            summary, request, query, dict(responses), errors, request_content_type, raw_body=raw_body
        )
        return handler

    return attach


def operation_of(handler: Callable[..., Any]) -> Operation | None:
    return getattr(handler, "__operation__", None)
