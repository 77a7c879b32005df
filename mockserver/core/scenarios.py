"""Failure scenarios: a validated document format and the engine that applies it.

A document names outcomes for target deliveries (``deliveries``) and faults of the HTTP API itself
(``requests``). Rules are tried in order, across the active documents in activation order; the
first rule that matches decides. A rule whose ``times`` is used up, whose ``after`` allowance is not
yet spent, or whose ``probability`` draw fails does not match, and the next rule is tried. Unknown
keys are errors, so a typo can never silently disable a rule.

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

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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
from mockserver.core.errors import LimitReached, ScenarioInvalid
from mockserver.core.fields import field_path
from mockserver.core.ids import stable_seed
from mockserver.core.models import TargetError
from mockserver.core.paths import PATH_SHAPE, compile_path
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
        if not PATH_SHAPE.fullmatch(value):
            raise ValueError("expected a path such as /v1/posts or /v1/posts/{pid}/publish")
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


@dataclass(frozen=True, slots=True)
class DeliveryContext:
    platform: str
    account_id: str
    text: str
    attempt: int
    at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryDecision:
    latency_ms: int
    error: TargetError | None
    # Which rule decided: "<scenario name>.deliveries[<index>]".
    rule: str = ""


@dataclass(frozen=True, slots=True)
class RequestContext:
    method: str
    path: str
    at: datetime


@dataclass(frozen=True, slots=True)
class RequestFault:
    """``status`` None means the request is only delayed, then handled as usual."""

    latency_ms: int
    status: int | None
    code: str | None
    message: str | None
    retry_after: int | None
    headers: dict[str, str]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class _Compiled:
    """A rule with its counters; ``seen`` counts matches that reached it, ``fired`` those it decided."""

    after: int
    times: int | None
    probability: float | None
    start: datetime | None
    end: datetime | None
    seen: int = 0
    fired: int = 0

    def in_window(self, at: datetime) -> bool:
        return (self.start is None or at >= self.start) and (self.end is None or at < self.end)


@dataclass(slots=True, kw_only=True)
class _CompiledDelivery(_Compiled):
    rule: DeliveryRule
    label: str
    decisions: dict[str, DeliveryDecision] = field(default_factory=dict)

    def applies(self, ctx: DeliveryContext) -> bool:
        match = self.rule.match
        return (
            (match.platform is None or match.platform == ctx.platform)
            and (match.account_id is None or match.account_id == ctx.account_id)
            and (match.attempt is None or match.attempt == ctx.attempt)
            and (match.text_contains is None or match.text_contains in ctx.text)
            and self.in_window(ctx.at)
        )

    def decision(self, platform: str) -> DeliveryDecision:
        # Decisions are immutable, so one per platform is built once and shared.
        found = self.decisions.get(platform)
        if found is None:
            fail = self.rule.fail
            error = None
            if fail is not None:
                code = fail.code.replace("{platform}", platform)
                message = fail.message.replace("{platform}", platform)
                error = TargetError(message=message, category=fail.category, caused_by=fail.caused_by, code=code)
            found = self.decisions[platform] = DeliveryDecision(self.rule.latency_ms, error, self.label)
        return found


@dataclass(slots=True, kw_only=True)
class _CompiledRequest(_Compiled):
    rule: RequestRule
    method: str | None
    exact_path: str | None
    path_regex: re.Pattern[str] | None

    def applies(self, ctx: RequestContext) -> bool:
        if self.method is not None and self.method != ctx.method.upper():
            return False
        if self.exact_path is not None and self.exact_path != ctx.path:
            return False
        if self.path_regex is not None and not self.path_regex.fullmatch(ctx.path):
            return False
        return self.in_window(ctx.at)

    def fault(self) -> RequestFault:
        respond = self.rule.respond
        if respond is None:
            return RequestFault(self.rule.latency_ms, None, None, None, None, {})
        return RequestFault(
            latency_ms=self.rule.latency_ms,
            status=respond.status,
            code=respond.code,
            message=respond.message,
            retry_after=respond.retry_after,
            headers=dict(respond.headers),
            meta=dict(respond.meta),
        )


def _compile_delivery(rule: DeliveryRule, label: str) -> _CompiledDelivery:
    match = rule.match
    return _CompiledDelivery(
        after=match.after or 0,
        times=rule.times,
        probability=rule.probability,
        start=match.from_,
        end=match.until,
        rule=rule,
        label=label,
    )


def _compile_deliveries(doc: ScenarioDocument) -> list[_CompiledDelivery]:
    return [_compile_delivery(rule, f"{doc.name}.deliveries[{i}]") for i, rule in enumerate(doc.deliveries)]


def _compile_request(rule: RequestRule) -> _CompiledRequest:
    match = rule.match
    exact, regex = compile_path(match.path)
    return _CompiledRequest(
        after=match.after or 0,
        times=rule.times,
        probability=rule.probability,
        start=match.from_,
        end=match.until,
        rule=rule,
        method=match.method,
        exact_path=exact,
        path_regex=regex,
    )


@dataclass(slots=True)
class _Active:
    doc: ScenarioDocument
    deliveries: list[_CompiledDelivery]
    requests: list[_CompiledRequest]


class ScenarioEngine:
    """The active scenario documents of one tenant, their counters and their random generator."""

    def __init__(self, *, seed: int) -> None:
        self._seed = stable_seed(seed, "scenarios")
        self._rng = random.Random(self._seed)
        self._active: list[_Active] = []
        self._deliveries: list[_CompiledDelivery] = []
        self._requests: list[_CompiledRequest] = []
        self._duplicates = False

    def activate(self, doc: ScenarioDocument) -> None:
        """Add ``doc`` after the active ones, or in place of the active one with the same name."""
        entry = _Active(
            doc,
            _compile_deliveries(doc),
            [_compile_request(rule) for rule in doc.requests],
        )
        for index, active in enumerate(self._active):
            if active.doc.name == doc.name:
                self._active[index] = entry
                break
        else:
            if len(self._active) >= MAX_DOCUMENTS:
                raise LimitReached(
                    f"at most {MAX_DOCUMENTS} scenario documents may be active at once; "
                    "DELETE /_mock/scenarios or replace one by name",
                    code="mock.scenario_limit",
                    meta={"limit": MAX_DOCUMENTS},
                )
            self._active.append(entry)
        self._flatten()

    def deactivate(self, name: str) -> bool:
        """Switch off the active document named ``name``; False when none is active by that name."""
        kept = [active for active in self._active if active.doc.name != name]
        if len(kept) == len(self._active):
            return False
        self._active[:] = kept
        self._flatten()
        return True

    def clear(self) -> None:
        self._active.clear()
        self._flatten()

    def reset(self) -> None:
        self.clear()
        self._rng.seed(self._seed)

    def documents(self) -> list[ScenarioDocument]:
        return [active.doc for active in self._active]

    @property
    def has_delivery_rules(self) -> bool:
        return bool(self._deliveries)

    @property
    def checks_duplicates(self) -> bool:
        return self._duplicates

    @property
    def has_request_rules(self) -> bool:
        """Lets the HTTP layer skip building a request context on the (usual) fault-free path."""
        return bool(self._requests)

    def describe(self) -> list[dict[str, Any]]:
        """Each active document as JSON data, with a ``fired`` count on every rule."""
        described = []
        for active in self._active:
            item: dict[str, Any] = {"name": active.doc.name, "description": active.doc.description}
            if active.doc.checks:
                item["checks"] = list(active.doc.checks)
            item["deliveries"] = [_rule_json(c.rule, c.fired) for c in active.deliveries]
            item["requests"] = [_rule_json(c.rule, c.fired) for c in active.requests]
            described.append(item)
        return described

    def decide_delivery(self, ctx: DeliveryContext) -> DeliveryDecision | None:
        """The outcome of one target delivery; None when no rule matches (plain success)."""
        if not self._deliveries:
            return None
        for compiled in self._deliveries:
            if compiled.applies(ctx) and self._admit(compiled):
                return compiled.decision(ctx.platform)
        return None

    def decide_request(self, ctx: RequestContext) -> RequestFault | None:
        """A fault to apply before the request's domain work; None when no rule matches."""
        if not self._requests:
            return None
        for compiled in self._requests:
            if compiled.applies(ctx) and self._admit(compiled):
                return compiled.fault()
        return None

    def getstate(self) -> dict[str, Any]:
        """JSON-serialisable state: documents, per-rule counters and the generator's state."""
        version, internal, gauss = self._rng.getstate()
        return {
            "documents": [
                {
                    "document": active.doc.to_json(),
                    "deliveries": [[c.seen, c.fired] for c in active.deliveries],
                    "requests": [[c.seen, c.fired] for c in active.requests],
                }
                for active in self._active
            ],
            "rng": [version, list(internal), gauss],
        }

    def setstate(self, state: Mapping[str, Any]) -> None:
        """Restore what ``getstate`` returned; a document that no longer validates raises ScenarioInvalid."""
        restored: list[_Active] = []
        if len(state["documents"]) > MAX_DOCUMENTS:
            raise ValueError(f"at most {MAX_DOCUMENTS} scenario documents may be active at once")
        for index, saved in enumerate(state["documents"]):
            doc = parse_scenario(saved["document"], source=f"state.documents[{index}]")
            entry = _Active(
                doc,
                _compile_deliveries(doc),
                [_compile_request(rule) for rule in doc.requests],
            )
            _restore_counters(entry.deliveries, saved["deliveries"])
            _restore_counters(entry.requests, saved["requests"])
            restored.append(entry)
        version, internal, gauss = state["rng"]
        self._rng.setstate((version, tuple(internal), gauss))
        self._active = restored
        self._flatten()

    def _flatten(self) -> None:
        self._deliveries = [c for active in self._active for c in active.deliveries]
        self._requests = [c for active in self._active for c in active.requests]
        self._duplicates = any("duplicate_content" in active.doc.checks for active in self._active)

    def _admit(self, compiled: _Compiled) -> bool:
        compiled.seen += 1
        if compiled.seen <= compiled.after:
            return False
        if compiled.times is not None and compiled.fired >= compiled.times:
            return False
        if compiled.probability is not None and self._rng.random() >= compiled.probability:
            return False
        compiled.fired += 1
        return True


def _rule_json(rule: DeliveryRule | RequestRule, fired: int) -> dict[str, Any]:
    return {**rule.model_dump(mode="json", by_alias=True, exclude_unset=True), "fired": fired}


def _restore_counters(compiled: list[_CompiledDelivery] | list[_CompiledRequest], saved: list[Any]) -> None:
    if len(saved) != len(compiled):
        raise ValueError(f"state holds {len(saved)} rule counters for a document with {len(compiled)} rules")
    for rule, (seen, fired) in zip(compiled, saved, strict=True):
        rule.seen, rule.fired = int(seen), int(fired)
