"""Reading a state document and making a tenant exactly what it describes, or refusing it whole.

``parse_state`` reads the document (migrating an earlier version), builds the new ``TenantState``
in full and checks it as the API would check a request; ``restore_state`` then judges the names and
ids that must be unique across tenants and swaps the state in one step, so a refused document
changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from mockserver.core.errors import Conflict, DomainError, ValidationFailed
from mockserver.core.fields import field_path
from mockserver.core.scenarios import ScenarioEngine
from mockserver.core.snapshot.checks import Claim, Claimed, check
from mockserver.core.snapshot.document import VERSION, StateDocument
from mockserver.core.snapshot.migrate import lacks_later_part, migrated
from mockserver.core.state import TenantState
from mockserver.core.tenancy import Tenant


@cache
def _state_adapter() -> TypeAdapter[TenantState]:
    """A fresh state as JSON, for what an earlier version did not carry. Built on the first migration:
    the whole state's schema is the largest of all, and every server start paid it (about 50 ms)."""
    return TypeAdapter(TenantState)


@dataclass(frozen=True, slots=True)
class Restoring:
    """What reading a document for one tenant needs besides the document: its sizes and fresh state."""

    name: str
    seed: int
    journal_size: int
    events_size: int
    shared_media: frozenset[str]
    fresh: Callable[[], TenantState]

    @classmethod
    def of(cls, tenant: Tenant) -> Restoring:
        shared = frozenset(item.id for item in tenant.baseline.media)
        return cls(tenant.name, tenant.seed, tenant.journal_size, tenant.events_size, shared, tenant.fresh_state)

    def context(self) -> dict[str, Any]:
        return {
            "tenant": self.name,
            "seed": self.seed,
            "journal_size": max(self.journal_size, 0),
            "events_size": self.events_size,
        }


@dataclass(slots=True)
class Parsed:
    """A document read and checked: the state to swap in, and the names and ids it claims."""

    document: StateDocument
    claims: list[Claim]


def parse_state(raw: bytes | str | dict[str, Any], restoring: Restoring) -> Parsed:
    """``raw`` read, migrated, built and checked; ``ValidationFailed`` (400) naming the field otherwise."""
    text = json.dumps(raw).encode() if isinstance(raw, dict) else raw
    context = restoring.context()
    try:
        document = StateDocument.model_validate_json(text, context=context)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if not any(error["loc"][:1] == ("version",) or lacks_later_part(error) for error in errors):
            raise refusal(errors) from None
        document = _migrated(text, restoring, context)
    return checked(document, restoring)


def checked(document: StateDocument, restoring: Restoring) -> Parsed:
    """A document read by its types, held to the rules types cannot express, its instants in UTC."""
    claims = check(document, shared_media=restoring.shared_media)
    _requeue_in_flight(document.state)
    _check_scenarios(document.scenarios)
    return Parsed(document, claims)


def needs_migration(errors: list[Any]) -> bool:
    """Whether a refusal may be an earlier (or later) version's document rather than a bad one."""
    return any("version" in error["loc"] for error in errors)


def _migrated(text: bytes | str, restoring: Restoring, context: dict[str, Any]) -> StateDocument:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValidationFailed.invalid("body", "body: not a state document", code="validation.state_invalid")
    fresh_state = json.loads(_state_adapter().dump_json(restoring.fresh()))
    current = migrated(data, VERSION, fresh_state)
    try:
        return StateDocument.model_validate_json(json.dumps(current), context=context)
    except ValidationError as exc:
        raise refusal(exc.errors(include_url=False)) from None


def _requeue_in_flight(state: TenantState) -> None:
    """A webhook attempt in flight when the state was taken is lost with that process: it is due again."""
    for delivery in state.webhooks.deliveries.values():
        if delivery.in_flight:
            delivery.in_flight = False
            delivery.next_attempt_at = delivery.next_attempt_at or delivery.created_at


def _check_scenarios(saved: dict[str, Any] | None) -> None:
    if saved is None:
        return
    try:
        ScenarioEngine(seed=0).setstate(saved)
    except DomainError as exc:
        raise _invalid("scenarios", f"scenarios: {exc.message}") from None
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise _invalid("scenarios", f"scenarios: not a scenario engine state ({exc!r})") from None


def restore_state(
    tenant: Tenant, raw: bytes | str | dict[str, Any] | Parsed, *, claimed: Claimed | None = None
) -> StateDocument:
    """Make ``tenant`` exactly what ``raw`` describes; on any refusal nothing changes.

    ``claimed(kind, value)`` names the other tenant that holds a sink name, media id or upload token,
    or None: such a claim answers 409 naming the field. The tenant takes ownership of the document's
    objects: do not reuse a ``Parsed`` after this.
    """
    parsed = raw if isinstance(raw, Parsed) else parse_state(raw, Restoring.of(tenant))
    document = parsed.document
    with tenant.lock:
        if claimed is not None:
            for claim in parsed.claims:
                holder = claimed(claim.kind, claim.value)
                if holder is not None and holder != tenant.name:
                    raise conflict(claim)
        if document.scenarios is None:
            tenant.scenarios.reset()
        else:
            tenant.scenarios.setstate(document.scenarios)
        owners = tenant.shared.media_owners
        for media_id in tenant.state.media.items:
            if owners.get(media_id) == tenant.name:
                del owners[media_id]
        owners.update((c.value, tenant.name) for c in parsed.claims if c.kind == "media")
        if document.tenant != tenant.name:
            # The keys that open a tenant are who it is, not what it holds: another tenant's export
            # restored here must not make its keys open this tenant.
            document.state.keys = list(tenant.state.keys)
            document.state.team.api_keys = tenant.state.team.api_keys
        else:
            # Its own document (a restart, say): the keys it made open it again, unless another holds them.
            for secret in document.state.keys:
                if secret != tenant.name:
                    tenant.shared.key_owners.setdefault(secret, tenant.name)
        tenant.state = document.state
        tenant.clock.restart(document.now)
        # Results of webhook sends begun before belong to the state just replaced.
        tenant.epoch += 1
        for rebuild in tenant.restored:
            rebuild()
    return document


def conflict(claim: Claim) -> Conflict:
    """409: another tenant holds the name or id at ``claim.where``."""
    what = {"sink": "sink name", "media": "media id", "upload_token": "upload token"}.get(claim.kind, claim.kind)
    message = f"{claim.where}: another tenant holds the {what} {claim.value[:80]!r}"
    return Conflict(message, code="validation.state_conflict", meta={"field": claim.where})


def refusal(errors: list[Any]) -> ValidationFailed:
    """400 naming the first field pydantic refused."""
    first = errors[0]
    where = field_path(first["loc"]) or "body"
    return _invalid(where, f"{where}: {first['msg']}")


def _invalid(where: str, message: str) -> ValidationFailed:
    return ValidationFailed.invalid(where, message, code="validation.state_invalid")
