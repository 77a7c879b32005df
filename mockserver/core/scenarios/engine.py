"""The scenario engine: the active documents' rules compiled, deciding deliveries and requests in turn."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.core.errors import LimitReached
from mockserver.core.ids import stable_seed
from mockserver.core.models import TargetError
from mockserver.core.paths import Template, compile_path
from mockserver.core.scenarios.documents import (
    MAX_DOCUMENTS,
    DeliveryRule,
    RequestRule,
    ScenarioDocument,
    parse_scenario,
)


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
    path_regex: Template | None

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
            if active.doc.arrivals:
                item["arrivals"] = [entry.model_dump(mode="json", exclude_none=True) for entry in active.doc.arrivals]
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
