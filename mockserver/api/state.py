"""``GET``/``PUT /_mock/state``: export a tenant's whole state as JSON, and restore it exactly.

``--state-file PATH`` keeps every tenant across restarts: ``load_state_file`` at start (a corrupt file
stops the start and is never overwritten), ``save_state_file`` on shutdown, atomically.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import orjson
from pydantic import BaseModel, ConfigDict, ValidationError

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.control import StateRestoredOut
from mockserver.api.spec import operation
from mockserver.core.errors import ValidationFailed
from mockserver.core.snapshot import TenantState, checked, export_state_json, restore_state
from mockserver.mock import MockServer

# Media bytes travel in base64 (4/3 of the 256 MiB a tenant may hold), so the document can be large.
STATE_BODY_LIMIT = 512 * 1024 * 1024


@operation("Export the tenant's whole state", responses={200: TenantState}, errors=(401,))
def get_state(call: Call) -> Reply:
    return Reply(raw=export_state_json(call.backend))


@operation(
    "Replace the tenant's state with an exported document",
    request=TenantState,
    responses={200: StateRestoredOut},
    errors=(400, 401, 413),
)
def put_state(call: Call) -> Reply:
    if not call.raw_body.strip():
        raise ValidationFailed.required("body", "the body must be a state document from GET /_mock/state")
    backend = call.backend
    restore_state(backend, call.raw_body)
    with backend.lock:
        restored = StateRestoredOut.of(len(backend.store), backend.now())
    return Reply(restored)


# -- the state file (--state-file) -----------------------------------------------------------------

FILE_FORMAT = "socialapi-mock/state-file"


class StateFileError(ValueError):
    """The state file cannot be read, is not a state file, or cannot be written; the message says which."""


class StateFile(BaseModel):
    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64", defer_build=True)

    format: Literal["socialapi-mock/state-file"]
    version: Literal[1]
    tenants: dict[str, TenantState]


def load_state_file(server: MockServer, path: Path) -> int:
    """Restore every tenant saved in ``path``; a missing file is an empty start. Returns the tenant count."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise StateFileError(f"cannot read the state file {path}: {exc.strerror or exc}") from None
    try:
        saved = StateFile.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "the document"
        raise StateFileError(_corrupt(path, f"{where}: {first['msg']}")) from None
    for key in saved.tenants:
        if not key.startswith("sapi_key_") or len(key) > 200:
            raise StateFileError(_corrupt(path, f"tenants: {key[:40]!r} is not an API key (sapi_key_...)"))
    # Every tenant is checked before any is touched.
    for key, document in saved.tenants.items():
        try:
            checked(document)
        except ValidationFailed as exc:
            raise StateFileError(_corrupt(path, f"tenant {key[:40]}: {exc.message}")) from None
    for key, document in saved.tenants.items():
        try:
            restore_state(server.tenant(key), document)
        except ValidationFailed as exc:
            raise StateFileError(_corrupt(path, f"tenant {key[:40]}: {exc.message}")) from None
    return len(saved.tenants)


def save_state_file(server: MockServer, path: Path) -> int:
    """Write every tenant to ``path`` atomically (a temporary file, then a rename). Returns the tenant count."""
    tenants = sorted(server.tenants(), key=lambda backend: backend.tenant)
    parts = [orjson.dumps(backend.tenant) + b":" + export_state_json(backend) for backend in tenants]
    body = b'{"format":"%s","version":1,"tenants":{%s}}' % (FILE_FORMAT.encode(), b",".join(parts))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise StateFileError(f"cannot write the state file {path}: {exc.strerror or exc}") from None
    return len(tenants)


def _corrupt(path: Path, detail: str) -> str:
    return (
        f"the state file {path} is not a valid socialapi-mock state file ({detail}); "
        "it was left untouched: fix or move it, or start without --state-file"
    )
