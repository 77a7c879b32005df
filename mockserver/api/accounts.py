"""Public API handlers for accounts and usage."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.accounts import AccountListOut, AccountListQuery, UsageOut
from mockserver.api.spec import operation


@operation("List connected accounts", query=AccountListQuery, responses={200: AccountListOut}, errors=(401, 404))
def list_accounts(call: Call) -> Reply:
    brand_id = call.parse_query(AccountListQuery).brand_id
    return Reply(AccountListOut.of(call.backend.accounts.list_accounts(brand_id, reach=call.reach)))


@operation("Usage of the billing period", responses={200: UsageOut}, errors=(401,))
def get_usage(call: Call) -> Reply:
    return Reply(UsageOut.of(call.backend.usage()))
