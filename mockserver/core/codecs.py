"""How the state's objects that are not plain data travel as JSON, declared beside the fields that hold them.

``TenantState`` (``core/state.py``) and its records annotate such fields with these markers, so the
one ``TypeAdapter`` of the state document (``core/snapshot``) saves and loads them with no list of
fields of its own: a field added to the state is saved and loaded by its type alone.

- ``Keyed("id")``: a dict of records by one of their attributes travels as a list of the records; on
  load the dict is rebuilt in the same order and a key that appears twice is refused.
- ``Bounded("journal_size")``/``Bounded(maxlen=n)``: a deque travels as a list and keeps its maxlen,
  the tenant's (read from the validation context) or a fixed one.
- ``SortedSet``: a set travels sorted, so the same state gives byte-identical documents in any process.
- ``RandomState``: a ``random.Random`` travels as its generator state.
- ``Codec``: the general form, a JSON shape with a function each way.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Annotated, Any, get_args

from pydantic import (
    Field,
    GetCoreSchemaHandler,
    PlainSerializer,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    WrapSerializer,
)
from pydantic_core import core_schema

MT_STATE_WORDS = 625  # a Mersenne Twister state: 624 words and the position


@dataclass(frozen=True, slots=True)
class Codec:
    """A field's JSON shape ``json_type``, ``load`` from it (with the validation info), ``dump`` to it."""

    json_type: Any
    load: Callable[[Any, ValidationInfo], Any]
    dump: Callable[[Any], Any]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        inner = handler.generate_schema(self.json_type)
        return core_schema.with_info_after_validator_function(
            self.load,
            inner,
            serialization=core_schema.plain_serializer_function_ser_schema(self.dump, return_schema=inner),
        )


@dataclass(frozen=True, slots=True)
class Keyed:
    """A ``dict[str, Record]`` kept by ``attribute`` of its records, travelling as a list of them."""

    attribute: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        _, record = get_args(source)
        inner = handler.generate_schema(list[record])  # type: ignore[valid-type]
        attribute = self.attribute

        def load(items: list[Any]) -> dict[Hashable, Any]:
            by_key: dict[Hashable, Any] = {}
            for item in items:
                key = getattr(item, attribute)
                if key in by_key:
                    raise ValueError(f"{attribute} {str(key)[:80]!r} appears twice")
                by_key[key] = item
            return by_key

        return core_schema.no_info_after_validator_function(
            load, inner, serialization=core_schema.plain_serializer_function_ser_schema(_records, return_schema=inner)
        )


def _records(by_key: dict[Hashable, Any]) -> list[Any]:
    return list(by_key.values())


@dataclass(frozen=True, slots=True)
class Bounded:
    """A deque that keeps its maxlen on load: the tenant's ``size`` from the validation context, or ``maxlen``."""

    size: str | None = None
    maxlen: int | None = None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        (item,) = get_args(source)
        inner = handler.generate_schema(list[item])  # type: ignore[valid-type]
        size, fixed = self.size, self.maxlen

        def load(items: list[Any], info: ValidationInfo) -> deque[Any]:
            context = info.context if isinstance(info.context, dict) else {}
            maxlen = context.get(size, fixed) if size is not None else fixed
            return deque(items, maxlen=maxlen)

        return core_schema.with_info_after_validator_function(
            load, inner, serialization=core_schema.plain_serializer_function_ser_schema(list, return_schema=inner)
        )


SortedSet = Annotated[set[str], PlainSerializer(sorted, return_type=list[str])]


@dataclass(slots=True)
class GeneratorState:
    """``random.Random.getstate()`` as JSON: version, 625 words, the cached gauss value."""

    version: int
    words: Annotated[list[int], Field(min_length=MT_STATE_WORDS, max_length=MT_STATE_WORDS)]
    gauss: float | None = None

    @classmethod
    def of(cls, rng: random.Random) -> GeneratorState:
        version, words, gauss = rng.getstate()
        return cls(version, list(words), gauss)

    def generator(self) -> random.Random:
        """A generator in this state; ``ValueError`` when the words are not one."""
        rng = random.Random()
        try:
            rng.setstate((self.version, tuple(self.words), self.gauss))
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValueError(f"not a generator state ({exc})") from None
        return rng


def _load_generator(value: GeneratorState, info: ValidationInfo) -> random.Random:
    return value.generator()


RandomState = Annotated[random.Random, Codec(GeneratorState, _load_generator, GeneratorState.of)]


def _media_bytes(value: bytes | None, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
    # A state file is written a piece at a time: a media item's bytes are set aside here, a marker
    # written in their place, and the pieces encode them a chunk at a time (see ``export_state_pieces``).
    context = info.context
    if value is not None and isinstance(context, dict) and DEFERRED in context:
        deferred: list[bytes] = context[DEFERRED]
        deferred.append(value)
        return f"{context[MARKER]}{len(deferred) - 1}"
    return handler(value)


DEFERRED = "deferred_media"
MARKER = "deferred_media_marker"
# A media item's bytes (base64 in JSON), which the streaming export may set aside.
MediaBytes = WrapSerializer(_media_bytes, when_used="json")
