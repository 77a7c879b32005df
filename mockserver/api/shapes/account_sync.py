"""``POST /v1/accounts/{id}/sync``'s answer: an object of booleans (the OAS: ``additionalProperties: boolean``)."""

from __future__ import annotations

from mockserver.api.shapes.common import Out
from mockserver.core.accounts.sync import SyncResult


class SyncOut(Out):
    """The docs name no key; the mock answers these three (docs/api-versions.md)."""

    success: bool
    posts_imported: bool
    media_refreshed: bool

    @staticmethod
    def of(result: SyncResult) -> SyncOut:
        return SyncOut.build(
            {"success": True, "posts_imported": result.imported > 0, "media_refreshed": result.refreshed > 0}
        )
