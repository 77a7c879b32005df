"""Public API handlers for accounts and usage."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.accounts import AccountListOut, UsageOut
from mockserver.api.spec import operation


@operation("List connected accounts", responses={200: AccountListOut}, errors=(401,))
def list_accounts(call: Call) -> Reply:
    return Reply(AccountListOut.of(call.backend.list_accounts()))


@operation("Usage of the billing period", responses={200: UsageOut}, errors=(401,))
def get_usage(call: Call) -> Reply:
    return Reply(UsageOut.of(call.backend.usage()))
