"""The state document (version 2) and its export: one tenant's ``TenantState`` as JSON, with the clock and scenarios.

The document is ``{"format", "version", "tenant", "now", "scenarios", "state"}``; ``state`` is
``TenantState`` serialised by its own declarations (``core/state.py`` and the codecs beside its
fields), so there is no second list of what a tenant holds to keep in step with the first.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict

from mockserver.core.codecs import DEFERRED, MARKER
from mockserver.core.state import TenantState
from mockserver.core.tenancy import Tenant

FORMAT: Final = "socialapi-mock/tenant-state"
VERSION: Final = 2
# Bytes of media base64-encoded at a time when a state file is written (a multiple of 3: no padding).
MEDIA_CHUNK = 3 * 256 * 1024


class StateDocument(BaseModel):
    """The document: every field is required so a truncated file cannot pass for an empty tenant."""

    model_config = ConfigDict(
        extra="forbid", ser_json_bytes="base64", val_json_bytes="base64", defer_build=True, validate_assignment=False
    )

    format: Literal["socialapi-mock/tenant-state"]
    version: Literal[2]
    tenant: str
    now: datetime
    scenarios: dict[str, Any] | None
    state: TenantState


def document_of(tenant: Tenant) -> StateDocument:
    """The tenant's document; call it holding ``tenant.lock``."""
    return StateDocument.model_construct(
        format=FORMAT,
        version=VERSION,
        tenant=tenant.name,
        now=tenant.clock.now(),
        scenarios=tenant.scenarios.getstate(),
        state=tenant.state,
    )


def export_state_json(tenant: Tenant) -> bytes:
    """The tenant's document as JSON bytes (media bytes in base64): ``GET /_mock/state``."""
    with tenant.lock:
        # Straight to bytes: a str first would hold the (base64) media twice more.
        return document_of(tenant).model_dump_json().encode()


def export_state(tenant: Tenant) -> dict[str, Any]:
    """The tenant's document as JSON data."""
    data: dict[str, Any] = json.loads(export_state_json(tenant))
    return data


def export_state_pieces(tenant: Tenant) -> Iterator[bytes]:
    """``export_state_json`` in pieces whose concatenation is an equal document, for a file.

    Media bytes are set aside while the rest is serialised (a marker, random per export, stands in
    for each) and base64-encoded a chunk at a time as the pieces are taken, so writing a tenant holds
    about one chunk of them beside the rest of its document, not the whole document twice.
    Everything that can fail happens before this returns: a piece taken later cannot fail.
    """
    marker = secrets.token_hex(16)
    deferred: list[bytes] = []
    with tenant.lock:
        head = document_of(tenant).model_dump_json(context={DEFERRED: deferred, MARKER: marker}).encode()
    parts = re.split(rb'"' + marker.encode() + rb'(\d+)"', head)
    if len(parts) != 2 * len(deferred) + 1:  # only if a stored string held this export's random marker
        return iter([export_state_json(tenant)])
    return _pieces(parts, deferred)


def _pieces(parts: list[bytes], deferred: list[bytes]) -> Iterator[bytes]:
    yield parts[0]
    for index in range(1, len(parts), 2):
        data = deferred[int(parts[index])]
        yield b'"'
        for start in range(0, len(data), MEDIA_CHUNK):
            yield base64.urlsafe_b64encode(data[start : start + MEDIA_CHUNK])
        yield b'"' + parts[index + 1]
