"""Public API handlers for accounts and usage."""

from __future__ import annotations

from pydantic import BaseModel, Field

from mockserver.api import wire
from mockserver.api.http import Call, Reply
from mockserver.api.schemas import AccountListOut, UsageOut
from mockserver.api.spec import operation


class AccountListQuery(BaseModel):
    """The query string of ``GET /v1/accounts``."""

    brand_id: str | None = Field(default=None, description="Only the accounts of this brand (404 if unknown)")


@operation("List connected accounts", query=AccountListQuery, responses={200: AccountListOut}, errors=(401, 404))
def list_accounts(call: Call) -> Reply:
    accounts = call.backend.list_accounts(call.query.get("brand_id") or None)
    return Reply({"data": [wire.account_json(a) for a in accounts], "count": len(accounts)})


@operation("Usage of the billing period", responses={200: UsageOut}, errors=(401,))
def get_usage(call: Call) -> Reply:
    return Reply(wire.usage_json(call.backend.usage()))
