"""``GET``/``PUT /_mock/state``: export a tenant's whole state as JSON, and restore it exactly.

``--state-file PATH`` keeps every tenant across restarts: ``prepare_state_file`` checks the path and
``load_state_file`` reads it at start (a corrupt file stops the start and is never overwritten);
``save_state_file`` writes it on shutdown and ``save_state_file_async`` every ``--state-save-interval``,
atomically and one tenant at a time.
"""

from __future__ import annotations

import asyncio
import glob
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, ValidationError

from mockserver.api.http import Call, Reply
from mockserver.api.server import Server
from mockserver.api.shapes.control import StateRestoredOut
from mockserver.api.spec import operation
from mockserver.core.backend import PublishingBackend
from mockserver.core.errors import DomainError, ValidationFailed
from mockserver.core.fields import field_path
from mockserver.core.snapshot import (
    Parsed,
    Restoring,
    StateDocument,
    checked,
    conflict,
    export_state_json,
    export_state_pieces,
    needs_migration,
    parse_state,
    restore_state,
)
from mockserver.core.state import TenantState

# Media bytes travel in base64 (4/3 of the 256 MiB a tenant may hold), so the document can be large.
STATE_BODY_LIMIT = 512 * 1024 * 1024


@operation("Export the tenant's whole state", responses={200: StateDocument}, errors=(401,))
def get_state(call: Call) -> Reply:
    return Reply(raw=export_state_json(call.backend.tenant))


@operation(
    "Replace the tenant's state with an exported document",
    request=StateDocument,
    responses={200: StateRestoredOut},
    errors=(400, 401, 409, 413),
    raw_body=True,
    max_body_bytes=STATE_BODY_LIMIT,
)
def put_state(call: Call) -> Reply:
    if not call.raw_body.strip():
        raise ValidationFailed.required("body", "the body must be a state document from GET /_mock/state")
    restore_state(call.backend.tenant, call.raw_body, claimed=call.server.claimed_by)
    summary = call.backend.summary()
    return Reply(StateRestoredOut.of(summary.posts, summary.now))


# -- the state file (--state-file) -----------------------------------------------------------------

FILE_FORMAT = "socialapi-mock/state-file"


class StateFileError(ValueError):
    """The state file cannot be read, is not a state file, or cannot be written; the message says which."""


class StateFile(BaseModel):
    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64", defer_build=True)

    format: Literal["socialapi-mock/state-file"]
    version: Literal[1]
    tenants: dict[str, StateDocument]


def load_state_file(server: Server, path: Path) -> int:
    """Restore every tenant saved in ``path``; a missing file is an empty start. Returns the tenant count.

    Every tenant is read, checked and judged against the others (names and ids unique across
    tenants, at most ``--max-tenants``) before any is touched: a bad file changes nothing.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise StateFileError(f"cannot read the state file {path}: {exc.strerror or exc}") from None
    parsed = _parsed_tenants(server, path, raw)
    limit = server.settings.max_tenants
    if len(parsed) > limit:
        detail = f"tenants: {len(parsed)} tenants, more than --max-tenants allows ({limit})"
        raise StateFileError(_corrupt(path, detail))
    holders: dict[tuple[str, str], str] = {}
    for key, document in parsed.items():
        for claim in document.claims:
            holder = holders.setdefault((claim.kind, claim.value), key)
            other = server.claimed_by(claim.kind, claim.value)
            if holder != key or (other is not None and other != key):
                raise StateFileError(_corrupt(path, f"tenant {key[:40]}: {conflict(claim).message}"))
    for key, document in parsed.items():
        try:
            restore_state(server.tenant(key).tenant, document)
        except DomainError as exc:
            raise StateFileError(_corrupt(path, f"tenant {key[:40]}: {exc.message}")) from None
    return len(parsed)


def _parsed_tenants(server: Server, path: Path, raw: bytes) -> dict[str, Parsed]:
    """Every tenant of the file read and checked (an earlier version's tenants migrated first)."""
    try:
        saved = StateFile.model_validate_json(raw, context=_restoring(server, "").context())
        documents: dict[str, StateDocument | dict[str, Any]] = dict(saved.tenants)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if not needs_migration(errors):
            first = errors[0]
            raise StateFileError(
                _corrupt(path, f"{field_path(first['loc']) or 'the document'}: {first['msg']}")
            ) from None
        documents = _tenants_as_data(path, raw)
    parsed: dict[str, Parsed] = {}
    for key, document in documents.items():
        if not key.startswith("sapi_key_") or len(key) > 200:
            raise StateFileError(_corrupt(path, f"tenants: {key[:40]!r} is not an API key (sapi_key_...)"))
        restoring = _restoring(server, key)
        try:
            if isinstance(document, StateDocument):
                parsed[key] = checked(document, restoring)
            else:
                parsed[key] = parse_state(document, restoring)
        except DomainError as exc:
            raise StateFileError(_corrupt(path, f"tenant {key[:40]}: {exc.message}")) from None
    return parsed


def _tenants_as_data(path: Path, raw: bytes) -> dict[str, Any]:
    """The file's tenants as JSON data, for documents of another version to be migrated one by one."""
    data = json.loads(raw)
    tenants = data.get("tenants") if isinstance(data, dict) else None
    if not isinstance(tenants, dict) or data.get("format") != FILE_FORMAT or data.get("version") != 1:
        raise StateFileError(_corrupt(path, "format: not a socialapi-mock/state-file of version 1"))
    return tenants


def _restoring(server: Server, key: str) -> Restoring:
    settings, baseline = server.settings, server.fixtures.baseline_for(key)

    def fresh() -> TenantState:
        return TenantState.fresh(
            key,
            seed=settings.seed,
            baseline=baseline,
            start=settings.start_time,
            journal_size=settings.journal_size,
            events_size=settings.events_size,
        )

    shared = frozenset(item.id for item in baseline.media)
    return Restoring(key, settings.seed, settings.journal_size, settings.events_size, shared, fresh)


@dataclass(slots=True)
class SaveReport:
    saved: int = 0
    # Tenants whose export failed, with why; every other tenant was saved.
    failed: dict[str, str] = field(default_factory=dict)


def save_state_file(server: Server, path: Path) -> SaveReport:
    """Write every tenant to ``path`` atomically (a temporary file, then a rename).

    Tenants are exported and written one at a time, so memory stays near the size of the largest
    tenant rather than of the whole file; a tenant that cannot be exported is reported by key and
    left out, and every other tenant is saved.
    """
    writer = _StateWriter(path)
    try:
        for backend in _in_key_order(server):
            writer.add(backend)
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


async def save_state_file_async(server: Server, path: Path) -> SaveReport:
    """``save_state_file`` from the event loop: other requests are served between tenants."""
    writer = _StateWriter(path)
    try:
        for backend in _in_key_order(server):
            writer.add(backend)
            await asyncio.sleep(0)
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


def _in_key_order(server: Server) -> list[PublishingBackend]:
    return sorted(server.tenants(), key=lambda backend: backend.tenant.name)


class _StateWriter:
    """The state file being written: a temporary file beside it, renamed over it on commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.report = SaveReport()
        try:
            self._handle = self.temporary.open("wb")
            self._handle.write(b'{"format":"%s","version":1,"tenants":{' % FILE_FORMAT.encode())
        except OSError as exc:
            self.temporary.unlink(missing_ok=True)
            raise StateFileError(f"cannot write the state file {path}: {exc.strerror or exc}") from None

    def add(self, backend: PublishingBackend) -> None:
        name = backend.tenant.name
        try:
            pieces = export_state_pieces(backend.tenant)
        except Exception as exc:  # one broken tenant must not cost every other tenant its state
            self.report.failed[name] = f"{type(exc).__name__}: {exc}"[:300]
            return
        self._write((b"," if self.report.saved else b"") + orjson.dumps(name) + b":")
        for piece in pieces:
            self._write(piece)
        self.report.saved += 1

    def commit(self) -> SaveReport:
        self._write(b"}}")
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self.temporary, self.path)
        except OSError as exc:
            self.abort()
            raise StateFileError(f"cannot write the state file {self.path}: {exc.strerror or exc}") from None
        return self.report

    def abort(self) -> None:
        self._handle.close()
        self.temporary.unlink(missing_ok=True)

    def _write(self, data: bytes) -> None:
        try:
            self._handle.write(data)
        except OSError as exc:
            raise StateFileError(f"cannot write the state file {self.path}: {exc.strerror or exc}") from None


def prepare_state_file(path: Path) -> Path:
    """The file to read and write for ``--state-file path``, checked before the server starts.

    A symlink is written through: its target is the file replaced on save. The file must be a
    regular file (or missing) in a directory that exists and is writable. Temporary files that an
    earlier process, now gone, left behind beside it are removed.
    """
    target = path.resolve() if path.is_symlink() else path
    directory = target.parent
    if not directory.is_dir():
        raise StateFileError(f"the directory of the state file {path} does not exist; create it first")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise StateFileError(f"the directory of the state file {path} is not writable")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise StateFileError(f"cannot read the state file {path}: {exc.strerror or exc}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise StateFileError(f"the state file {path} is not a regular file (a FIFO, device or directory)")
    for stale in directory.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid = stale.name[len(target.name) + 2 : -len(".tmp")]
        if pid.isdigit() and not _running(int(pid)):
            stale.unlink(missing_ok=True)
    return target


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _corrupt(path: Path, detail: str) -> str:
    return (
        f"the state file {path} is not a valid socialapi-mock state file ({detail}); "
        "it was left untouched: fix or move it, or start without --state-file"
    )
