"""One tenant's whole state as JSON data, and back: ``GET``/``PUT /_mock/state`` and ``--state-file``.

``export_state`` reads everything a tenant holds -- posts with their targets, accounts, media (bytes
in base64), plan, the clock, the id and request-id generators, the scenario engine with its counters,
the request journal, the event outbox and the state of every mixin (see ``BackendExtension``) -- so
that ``restore_state`` of that document gives a tenant that answers every later request exactly as
the original would have.

``restore_state`` validates the whole document before it changes anything, and if a later part (the
scenario engine, a mixin) still refuses, it puts the previous state back: a refused document never
leaves a tenant half-restored.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from mockserver.core.bounds import SHORT_MAX, TEXT_MAX, free_form_problem
from mockserver.core.errors import DomainError, ValidationFailed
from mockserver.core.fields import field_path
from mockserver.core.journal import JournalEntry
from mockserver.core.models import DIRECT_PLATFORMS, PLATFORMS, Account, MediaItem, Post
from mockserver.core.store import PostStore
from mockserver.core.tenant import Plan
from mockserver.core.timefmt import MAX_INSTANT

if TYPE_CHECKING:
    from mockserver.core.backend import PublishingBackend

FORMAT = "socialapi-mock/tenant-state"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Bytes of media base64-encoded at a time when a state file is written (a multiple of 3: no padding).
MEDIA_CHUNK = 3 * 256 * 1024
_MEDIA: TypeAdapter[MediaItem] = TypeAdapter(MediaItem)
VERSION = 1
MT_STATE_WORDS = 625  # a Mersenne Twister state: 624 words and the position

# Attributes a snapshot deliberately leaves alone: configuration given at construction, and
# machinery rebuilt on start (the lock, the listeners mixins register in ``_reset_extension``).
CONFIGURATION = frozenset(
    {
        "tenant",
        "seed",
        "baseline",
        "initial_scenarios",
        "publish_mode",
        "generation",
        "lock",
        "event_listeners",
        "_start",
        "clock",
        "scenarios",
        "shared",
    }
)
# Attributes ``export_state``/``restore_state`` carry themselves (the clock's time and the engine's
# state are carried, not the objects).
CARRIED = frozenset(
    {"accounts", "media", "plan", "duplicate_check", "store", "ids", "_request_rng", "journal", "events"}
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class RngState(_Strict):
    """``random.Random.getstate()`` as JSON: version, 625 words, the cached gauss value."""

    version: int
    words: Annotated[list[int], Field(min_length=MT_STATE_WORDS, max_length=MT_STATE_WORDS)]
    gauss: float | None = None


class IdsState(_Strict):
    rng: RngState
    issued: Annotated[int, Field(ge=0)]


class EventRecord(_Strict):
    id: str
    event: str
    created_at: str
    data: dict[str, Any]


class TenantState(BaseModel):
    """The document: every field is required so a truncated file cannot pass for an empty tenant."""

    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64", defer_build=True)

    format: Literal["socialapi-mock/tenant-state"]
    version: Literal[1]
    tenant: str
    now: datetime
    plan: Plan
    # Absent in documents written before the setting existed: off, its default.
    duplicate_check: bool = False
    accounts: list[Account]
    media: list[MediaItem]
    posts: list[Post]
    next_seq: Annotated[int, Field(ge=1)]
    ids: IdsState
    request_rng: RngState
    scenarios: dict[str, Any] | None
    journal: list[JournalEntry]
    events: list[EventRecord]
    extensions: dict[str, Any]

    @field_validator("journal", mode="before")
    @classmethod
    def _text_bodies(cls, value: Any) -> Any:
        """Documents written before journal bodies were kept as text carry the parsed body."""
        if not isinstance(value, list):
            return value
        for entry in value:
            body = entry.get("body") if isinstance(entry, dict) else None
            if body is not None and not isinstance(body, str):
                text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
                entry["body"] = text
                entry.setdefault("body_size", len(text.encode()))
        return value


def export_state(backend: PublishingBackend) -> dict[str, Any]:
    """The tenant's state as JSON data (the ``TenantState`` shape)."""
    data: dict[str, Any] = json.loads(export_state_json(backend))
    return data


def export_state_json(backend: PublishingBackend) -> bytes:
    """``export_state`` as JSON bytes (media bytes in base64)."""
    with backend.lock:
        # Straight to bytes: a str first would hold the (base64) media twice more.
        return TenantState.__pydantic_serializer__.to_json(_document(backend))


def export_state_pieces(backend: PublishingBackend) -> Iterator[bytes]:
    """``export_state_json`` in pieces whose concatenation is an equal document, for a file.

    Media bytes are base64-encoded a chunk at a time as the pieces are taken, so writing a tenant
    holds about one chunk of them beside the rest of its document, not the whole document twice.
    Everything that can fail happens before this returns: a piece taken later cannot fail.
    """
    with backend.lock:
        document = _document(backend)
        media = [(_MEDIA.dump_json(item, exclude={"data"}), item.data) for item in document.media]
        document.media = []
        head = TenantState.__pydantic_serializer__.to_json(document)
    # "media" comes before every free-form field, and a string cannot hold an unescaped quote.
    before, _, after = head.partition(b'"media":[]')
    return _pieces(before, media, after)


def _pieces(before: bytes, media: list[tuple[bytes, bytes | None]], after: bytes) -> Iterator[bytes]:
    yield before + b'"media":['
    for number, (item, data) in enumerate(media):
        yield (b"," if number else b"") + item[:-1] + b',"data":'
        if data is None:
            yield b"null}"
            continue
        yield b'"'
        for start in range(0, len(data), MEDIA_CHUNK):
            yield base64.urlsafe_b64encode(data[start : start + MEDIA_CHUNK])
        yield b'"}'
    yield b"]" + after


def _document(backend: PublishingBackend) -> TenantState:
    with backend.lock:
        rng_state, issued = backend.ids.getstate()
        extensions: dict[str, Any] = {}
        backend._export_extension(extensions)
        scenarios = backend.scenarios
        return TenantState(
            format=FORMAT,
            version=VERSION,
            tenant=backend.tenant,
            now=backend.clock.now(),
            plan=backend.plan,
            duplicate_check=backend.duplicate_check,
            accounts=list(backend.accounts.values()),
            media=list(backend.media.values()),
            posts=sorted(backend.store.all_posts(), key=lambda p: p.seq),
            next_seq=backend.store.next_seq,
            ids=IdsState(rng=_rng_json(rng_state), issued=issued),
            request_rng=_rng_json(backend._request_rng.getstate()),
            scenarios=scenarios.getstate() if scenarios is not None and hasattr(scenarios, "getstate") else None,
            journal=list(backend.journal),
            events=[EventRecord.model_validate(event) for event in backend.events],
            extensions=extensions,
        )


def parse_state(raw: bytes | str | dict[str, Any]) -> TenantState:
    """A validated document, or ``ValidationFailed`` (400 ``validation.state_invalid``) naming the field."""
    if isinstance(raw, dict):
        raw = json.dumps(raw)
    try:
        document = TenantState.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = field_path(first["loc"]) or "body"
        raise _invalid(where, f"{where}: {first['msg']}") from None
    return checked(document)


def checked(document: TenantState) -> TenantState:
    """``document`` after the checks types cannot express, with its instants in UTC."""
    _check(document)
    document.now = document.now.astimezone(UTC)
    for name in ("accounts", "media", "posts", "journal"):
        _utc(getattr(document, name))
    return document


def restore_state(backend: PublishingBackend, raw: bytes | str | dict[str, Any] | TenantState) -> None:
    """Make ``backend`` exactly the tenant ``raw`` describes; on any refusal nothing changes.

    The tenant takes ownership of the document's objects: do not reuse a ``TenantState`` after this.
    """
    document = raw if isinstance(raw, TenantState) else parse_state(raw)
    with backend.lock:
        previous = parse_state(export_state(backend))
        try:
            _apply(backend, document)
        except (DomainError, ValueError, KeyError, TypeError) as exc:
            _apply(backend, previous)
            if isinstance(exc, ValidationFailed):
                raise
            raise _invalid("extensions", f"the document was refused: {exc}") from None


def _apply(backend: PublishingBackend, document: TenantState) -> None:
    # Parts that can still refuse go first; the core swap after them cannot fail.
    scenarios = backend.scenarios
    if scenarios is not None and hasattr(scenarios, "setstate"):
        if document.scenarios is None:
            scenarios.reset()
        else:
            try:
                scenarios.setstate(document.scenarios)
            except DomainError as exc:
                raise _invalid("scenarios", f"scenarios: {exc.message}") from None
            except (ValueError, KeyError, TypeError, IndexError) as exc:
                raise _invalid("scenarios", f"scenarios: not a scenario engine state ({exc!r})") from None
    backend._restore_extension(document.extensions)
    backend.clock.restart(document.now)
    backend.plan = document.plan
    backend.duplicate_check = document.duplicate_check
    backend.accounts = {a.id: a for a in document.accounts}
    backend.media = {m.id: m for m in document.media}
    backend.shared.media_owners.update(dict.fromkeys(backend.media, backend.tenant))
    store = PostStore()
    for post in document.posts:
        store.add(post)
    store.next_seq = document.next_seq
    backend.store = store
    backend.ids.setstate((_rng_tuple(document.ids.rng), document.ids.issued))
    backend._request_rng.setstate(_rng_tuple(document.request_rng))
    backend.journal.clear()
    backend.journal.extend(document.journal)
    backend.events.clear()
    backend.events.extend(event.model_dump() for event in document.events)


def covered_attributes(backend: PublishingBackend) -> frozenset[str]:
    """Every instance attribute a snapshot either carries or deliberately leaves (see ``BackendExtension``)."""
    declared: set[str] = set()
    for cls in type(backend).__mro__:
        declared.update(cls.__dict__.get("_state_attributes", ()))
    return CONFIGURATION | CARRIED | declared


# -- validation beyond types ---------------------------------------------------------------------


def _check(document: TenantState) -> None:
    for where, value in _datetimes(document):
        if value.tzinfo is None:
            raise _invalid(where, f"{where}: the timestamp needs a UTC offset")
        if not EPOCH <= value <= MAX_INSTANT:
            raise _invalid(where, f"{where}: the timestamp must lie between 1970-01-01 and 9999-12-31")
    _check_as_the_api_does(document)
    _unique((a.id for a in document.accounts), "accounts", "account")
    _unique((m.id for m in document.media), "media", "media")
    _unique((p.id for p in document.posts), "posts", "post")
    seqs = [p.seq for p in document.posts]
    _unique((str(s) for s in seqs), "posts", "seq")
    if any(not 1 <= seq < document.next_seq for seq in seqs):
        raise _invalid("next_seq", "next_seq must be greater than every post's seq, and seq at least 1")
    accounts = {a.id for a in document.accounts}
    for number, post in enumerate(document.posts):
        if not post.id:
            raise _invalid(f"posts[{number}].id", "a post needs an id")
        for index, target in enumerate(post.targets):
            if target.account_id not in accounts:
                where = f"posts[{number}].targets[{index}].account_id"
                raise _invalid(where, f"{where}: account {target.account_id} is not in accounts")
    for where, rng in (("ids.rng", document.ids.rng), ("request_rng", document.request_rng)):
        try:
            random.Random().setstate(_rng_tuple(rng))
        except (ValueError, TypeError, OverflowError) as exc:
            raise _invalid(where, f"{where}: not a generator state ({exc})") from None


def _check_as_the_api_does(document: TenantState) -> None:
    """What a request could not create, a document cannot restore: platforms, lengths, free-form sizes."""
    for number, account in enumerate(document.accounts):
        if account.platform not in PLATFORMS + DIRECT_PLATFORMS:
            where = f"accounts[{number}].platform"
            raise _invalid(where, f"{where}: unknown platform {account.platform[:40]!r}")
    for number, post in enumerate(document.posts):
        texts = [("text", post.text, TEXT_MAX), ("title", post.title, SHORT_MAX)]
        texts.append(("first_comment", post.first_comment, SHORT_MAX))
        for index, target in enumerate(post.targets):
            prefix = f"targets[{index}]."
            if target.platform not in PLATFORMS:
                where = f"posts[{number}].{prefix}platform"
                raise _invalid(where, f"{where}: unknown platform {target.platform[:40]!r}")
            texts += [(prefix + "text", target.text, TEXT_MAX), (prefix + "title", target.title, SHORT_MAX)]
            if target.platform_data is not None:
                problem = free_form_problem(target.platform_data)
                if problem is not None:
                    where = f"posts[{number}].{prefix}platform_data"
                    raise _invalid(where, f"{where}: the object {problem}")
        for name, value, limit in texts:
            if value is not None and len(value) > limit:
                where = f"posts[{number}].{name}"
                raise _invalid(where, f"{where}: at most {limit} characters")


def _unique(values: Iterator[str], where: str, kind: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise _invalid(where, f"{where}: {kind} {value} appears twice")
        seen.add(value)


def _datetimes(document: TenantState) -> Iterator[tuple[str, datetime]]:
    yield "now", document.now
    for name in ("accounts", "media", "posts", "journal"):
        for number, item in enumerate(getattr(document, name)):
            yield from _walk(item, f"{name}[{number}]")


def _walk(value: Any, where: str) -> Iterator[tuple[str, datetime]]:
    if isinstance(value, datetime):
        yield where, value
    elif is_dataclass(value) and not isinstance(value, type):
        for spec in fields(value):
            yield from _walk(getattr(value, spec.name), f"{where}.{spec.name}")
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            yield from _walk(item, f"{where}[{number}]")


def _utc(value: Any) -> Any:
    """Datetimes in UTC (pydantic keeps the offset it parsed), recursively through dataclasses and lists."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if is_dataclass(value) and not isinstance(value, type):
        for spec in fields(value):
            current = getattr(value, spec.name)
            fixed = _utc(current)
            if fixed is not current:
                object.__setattr__(value, spec.name, fixed)
        return value
    if isinstance(value, list):
        return [_utc(item) for item in value]
    return value


def _rng_json(state: Any) -> RngState:
    version, words, gauss = state
    return RngState(version=version, words=list(words), gauss=gauss)


def _rng_tuple(rng: RngState) -> tuple[Any, ...]:
    return (rng.version, tuple(rng.words), rng.gauss)


def _invalid(where: str, message: str) -> ValidationFailed:
    return ValidationFailed.invalid(where, message, code="validation.state_invalid")
