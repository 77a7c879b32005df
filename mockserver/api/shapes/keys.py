"""API keys: ``/v1/keys`` and ``/v1/keys/scopes`` (scopes, PATCH and rotate are the later generation's)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from mockserver.api.shapes.common import LIST_MAX, Ident, Out, Request, ShortText, when
from mockserver.core.records.team import ApiKey
from mockserver.core.team.keys import STORE_SECURELY
from mockserver.core.team.scopes import Scope
from mockserver.core.timefmt import format_instant

Names = Annotated[list[Ident], Field(max_length=LIST_MAX)]


class KeyRequest(Request):
    """``POST /v1/keys``: a name; scopes and brands restrict the key (none: full access)."""

    name: ShortText
    scopes: Names | None = None
    brand_ids: Names | None = None


class KeyNameRequest(Request):
    """``POST /v1/keys`` in the 2026-06-22 generation: a name, nothing more (keys had no scopes)."""

    name: ShortText


class KeyUpdateRequest(Request):
    """``PATCH /v1/keys/{key_id}``: the fields given replace the key's; the secret is unchanged."""

    name: ShortText | None = None
    scopes: Names | None = None
    brand_ids: Names | None = None


class KeyOut(Out):
    id: str
    name: str
    preview: str
    is_active: bool
    last_used_at: str | None
    created_at: str
    scopes: list[str]
    brand_ids: list[str]

    @staticmethod
    def of(key: ApiKey) -> KeyOut:
        return KeyOut.validated(
            {
                "id": key.id,
                "name": key.name,
                "preview": key.preview,
                "is_active": key.is_active,
                "last_used_at": when(key.last_used_at),
                "created_at": format_instant(key.created_at),
                "scopes": list(key.scopes),
                "brand_ids": list(key.brand_ids),
            }
        )


class KeyListOut(Out):
    data: list[KeyOut]
    count: int

    @staticmethod
    def of(keys: list[ApiKey]) -> KeyListOut:
        return KeyListOut.validated({"data": [KeyOut.of(key) for key in keys], "count": len(keys)})


class KeySecretOut(KeyOut):
    """A created or rotated key: the only answers that show its secret, ``raw_key``."""

    raw_key: str
    message: str

    @staticmethod
    def of(key: ApiKey) -> KeySecretOut:
        base = KeyOut.of(key).model_dump()
        return KeySecretOut.validated({**base, "raw_key": key.secret, "message": STORE_SECURELY})


class ScopeOut(Out):
    name: str
    description: str
    group: str


class ScopeListOut(Out):
    data: list[ScopeOut]
    count: int

    @staticmethod
    def of(scopes: tuple[Scope, ...]) -> ScopeListOut:
        data = [{"name": s.name, "description": s.description, "group": s.group} for s in scopes]
        return ScopeListOut.validated({"data": data, "count": len(data)})
