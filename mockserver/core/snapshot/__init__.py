"""One tenant's whole state as a document, and back: ``GET``/``PUT /_mock/state`` and ``--state-file``.

``document`` writes it (``TenantState`` by its own declarations, with the clock and scenarios),
``restore`` reads it (``migrate`` brings earlier versions up to date, ``checks`` holds it to the
API's rules) and swaps it in whole or not at all.
"""

from mockserver.core.snapshot.checks import Claim, Claimed, claim_holder
from mockserver.core.snapshot.document import (
    FORMAT,
    MEDIA_CHUNK,
    VERSION,
    StateDocument,
    export_state,
    export_state_json,
    export_state_pieces,
)
from mockserver.core.snapshot.restore import (
    Parsed,
    Restoring,
    checked,
    conflict,
    needs_migration,
    parse_state,
    refusal,
    restore_state,
)

__all__ = [
    "FORMAT",
    "MEDIA_CHUNK",
    "VERSION",
    "Claim",
    "Claimed",
    "Parsed",
    "Restoring",
    "StateDocument",
    "checked",
    "claim_holder",
    "conflict",
    "export_state",
    "export_state_json",
    "export_state_pieces",
    "needs_migration",
    "parse_state",
    "refusal",
    "restore_state",
]
