"""``POST /v1/accounts/{id}/sync`` (``--api-version 2026-10-02``): re-read an account's recent posts."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.account_sync import SyncOut
from mockserver.api.spec import operation


@operation(
    "Re-sync a connected account's posts (Instagram: once per 5 minutes)",
    responses={200: SyncOut},
    errors=(401, 404, 429, 501),
)
def sync_account(call: Call) -> Reply:
    return Reply(SyncOut.of(call.backend.account_sync.sync_account(call.params["account_id"])))
