"""Failure scenarios: a validated document format and the engine that applies it.

A document names outcomes for target deliveries (``deliveries``) and faults of the HTTP API itself
(``requests``), and inbox arrivals to schedule when it is activated (``arrivals``, see ``arrivals.py``).
Rules are tried in order, across the active documents in activation order; the first rule that matches
decides. A rule whose ``times`` is used up, whose ``after`` allowance is not yet spent, or whose
``probability`` draw fails does not match, and the next rule is tried. Unknown keys are errors, so a
typo can never silently disable a rule.

Extensions to the base format (all optional, so every base document stays valid):

- ``match.after: N`` (delivery and request rules): the first N deliveries/requests that reach the
  rule and satisfy the rest of its ``match`` pass through it untouched (later rules may still
  apply); from the (N+1)th on the rule behaves as usual. ``times`` then counts only the firings
  after the allowance. Only requests that reach the rule count, so one answered by an earlier rule
  does not use up the allowance. This models "credits exhausted mid-campaign"::

      requests:
        - match: {method: POST, path: /v1/posts, after: 3}
          respond:
            status: 429
            code: billing.post_limit
            message: "not enough post credits: need 1, have 0 remaining"
            headers: {X-Posts-Limit: "10", X-Posts-Remaining: "0"}
            meta: {plan: free, max: 10}

- ``{platform}`` in ``fail.code`` / ``fail.message`` is replaced by the delivery's platform, so
  one rule can fail every platform with its own code (``platform.{platform}.api_error``).
- Request rules accept ``match.from`` / ``match.until`` like delivery rules (a window of API
  faults in fake time), and ``respond`` accepts ``headers`` and ``meta`` (the error's ``meta``).

``retry_after`` is carried apart from ``headers``; the HTTP layer turns it into ``Retry-After``.
Probability draws come only from the engine's own seeded generator, and only for a rule that
otherwise matches, so the same seed and the same call sequence give the same outcomes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from mockserver.core.bounds import bounded_free_form
from mockserver.core.errors import ScenarioInvalid
from mockserver.core.fields import field_path
from mockserver.core.paths import path_problem
from mockserver.core.scenarios.arrivals import MAX_ARRIVALS, ArrivalEntry
from mockserver.core.timefmt import parse_instant

Platform = Literal[
    "instagram", "facebook", "linkedin", "threads", "tiktok", "youtube", "twitter", "google", "pinterest", "bluesky"
]
Category = Literal["validation", "auth", "rate_limit", "platform", "system"]
CausedBy = Literal["user", "platform", "system"]

MAX_LATENCY_MS = 60_000
_CODE = re.compile(r"[A-Za-z0-9_]+(\.([A-Za-z0-9_]+|\{platform\}))*")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# RFC 9110 field values: visible latin-1 characters, with single spaces or tabs inside.
_HEADER_VALUE = re.compile(r"[\x21-\x7e\x80-\xff]([\x20\x09\x21-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?|")
# Headers that frame or route the response: the server sets them; a scenario would break the framing.
FRAMING_HEADERS = frozenset(
    {
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "upgrade",
        "te",
        "trailer",
        "content-type",
        "x-request-id",
    }
)
MAX_HEADERS = 32
MAX_HEADER_VALUE = 4096
MAX_RULES = 100  # per document, deliveries and requests each
MAX_DOCUMENTS = 32  # active per tenant


def _instant(value: object) -> datetime:
    # Our own parser, not pydantic's: it would take an integer (YAML reads `12:00` as 720) as epoch.
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("the timestamp needs a UTC offset or Z")
        return value.astimezone(UTC)
    if isinstance(value, str):
        return parse_instant(value)
    raise ValueError("expected an RFC 3339 timestamp such as 2026-01-01T09:00:00Z")


Instant = Annotated[datetime, BeforeValidator(_instant)]
Count = Annotated[int, Field(strict=True, ge=1)]
Latency = Annotated[int, Field(strict=True, ge=0, le=MAX_LATENCY_MS)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Window(_Strict):
    from_: Instant | None = Field(default=None, alias="from")
    until: Instant | None = None
    after: Annotated[int, Field(strict=True, ge=0)] | None = None

    @model_validator(mode="after")
    def _window_not_empty(self) -> _Window:
        if self.from_ is not None and self.until is not None and self.until <= self.from_:
            raise ValueError("`until` must be later than `from`, or the rule can never match")
        return self


class DeliveryMatch(_Window):
    platform: Platform | None = None
    account_id: Annotated[str, Field(min_length=1)] | None = None
    text_contains: Annotated[str, Field(min_length=1)] | None = None
    attempt: Count | None = None


class FailSpec(_Strict):
    code: str
    message: Annotated[str, Field(min_length=1)]
    category: Category
    caused_by: CausedBy = "platform"

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not _CODE.fullmatch(value):
            raise ValueError("expected a dotted code such as platform.instagram.rate_limit")
        return value


class DeliveryRule(_Strict):
    match: DeliveryMatch = Field(default_factory=DeliveryMatch)
    times: Count | None = None
    probability: Probability | None = None
    latency_ms: Latency = 0
    fail: FailSpec | None = None


class RequestMatch(_Window):
    method: str | None = None
    path: str | None = None

    @field_validator("method")
    @classmethod
    def _method_shape(cls, value: str) -> str:
        if not value.isascii() or not value.isalpha():
            raise ValueError("expected an HTTP method such as POST")
        return value.upper()

    @field_validator("path")
    @classmethod
    def _path_shape(cls, value: str) -> str:
        problem = path_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class RespondSpec(_Strict):
    status: Annotated[int, Field(strict=True, ge=400, le=599)]
    code: str
    message: Annotated[str, Field(min_length=1)]
    retry_after: Annotated[int, Field(strict=True, ge=0)] | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    meta: Annotated[dict[str, Any], AfterValidator(bounded_free_form)] = Field(default_factory=dict)

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if "{" in value or not _CODE.fullmatch(value):
            raise ValueError("expected a dotted code such as system.internal")
        return value

    @field_validator("headers")
    @classmethod
    def _header_shape(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) > MAX_HEADERS:
            raise ValueError(f"at most {MAX_HEADERS} headers")
        for name, text in value.items():
            if not _HEADER_NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not a valid header name")
            if name.lower() in FRAMING_HEADERS:
                raise ValueError(f"{name!r} is set by the server and cannot come from a scenario")
            if "\r" in text or "\n" in text:
                raise ValueError(f"the value of header {name!r} contains a line break")
            if len(text) > MAX_HEADER_VALUE or not _HEADER_VALUE.fullmatch(text):
                raise ValueError(
                    f"the value of header {name!r} must be at most {MAX_HEADER_VALUE} visible latin-1 characters"
                )
        return value


class RequestRule(_Strict):
    match: RequestMatch = Field(default_factory=RequestMatch)
    times: Count | None = None
    probability: Probability | None = None
    latency_ms: Latency = 0
    respond: RespondSpec | None = None


class ScenarioDocument(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    description: Annotated[str, Field(min_length=1, max_length=5000)]
    # Checks of the mock's own, beyond the real API's documented ones, that the document turns on.
    checks: Annotated[tuple[Literal["duplicate_content"], ...], Field(max_length=1)] = ()
    deliveries: Annotated[tuple[DeliveryRule, ...], Field(max_length=MAX_RULES)] = ()
    requests: Annotated[tuple[RequestRule, ...], Field(max_length=MAX_RULES)] = ()
    # Inbox arrivals scheduled when the document is activated (``arrivals.py``).
    arrivals: Annotated[tuple[ArrivalEntry, ...], Field(max_length=MAX_ARRIVALS)] = ()

    def to_json(self) -> dict[str, Any]:
        """The document as plain JSON data that ``parse_scenario`` reads back to an equal document."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _keys(model: type[BaseModel]) -> str:
    return ", ".join(sorted(info.alias or name for name, info in model.model_fields.items()))


# Keyed by the non-index part of the parent's location, to name the allowed keys after a typo.
_ALLOWED_KEYS: dict[tuple[str, ...], str] = {
    (): _keys(ScenarioDocument),
    ("deliveries",): _keys(DeliveryRule),
    ("deliveries", "match"): _keys(DeliveryMatch),
    ("deliveries", "fail"): _keys(FailSpec),
    ("requests",): _keys(RequestRule),
    ("requests", "match"): _keys(RequestMatch),
    ("requests", "respond"): _keys(RespondSpec),
    ("arrivals",): _keys(ArrivalEntry),
}


def _describe_error(error: Mapping[str, Any]) -> str:
    loc: tuple[int | str, ...] = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        parent = tuple(part for part in loc[:-1] if isinstance(part, str))
        return f"unknown key (allowed: {_ALLOWED_KEYS.get(parent, '?')})"
    return str(error["msg"]).removeprefix("Value error, ")


def parse_scenario(data: object, *, source: str = "<inline>") -> ScenarioDocument:
    """Validate a scenario document; errors name ``source`` and the field path (``a.b[0].c``)."""
    if isinstance(data, ScenarioDocument):
        return data
    if not isinstance(data, Mapping):
        raise ScenarioInvalid(f"{source}: a scenario document must be a mapping, not {type(data).__name__}")
    try:
        return ScenarioDocument.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        details = "; ".join(f"{field_path(tuple(e['loc']))}: {_describe_error(e)}" for e in errors)
        first = errors[0]
        code = "validation.field_required" if first["type"] == "missing" else "validation.field_invalid"
        raise ScenarioInvalid(
            f"{source}: {details}", code=code, meta={"field": field_path(tuple(first["loc"]))}
        ) from None
