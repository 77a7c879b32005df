"""Connected accounts and the billing period's usage."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mockserver.api.shapes.common import Out, Request, present
from mockserver.core.backend import Usage
from mockserver.core.models import Account
from mockserver.core.timefmt import format_instant


class AccountListQuery(Request):
    """The query string of ``GET /v1/accounts``."""

    brand_id: str | None = Field(default=None, description="Only the accounts of this brand (404 if unknown)")


class AccountOut(Out):
    id: str
    platform: str
    name: str
    username: str
    brand_id: str
    status: Literal["active", "reconnect_required"]
    reconnect_reason: str | None = None
    profile_picture_url: str | None = None
    bio: str | None = None
    page_name: str | None = None

    @staticmethod
    def of(account: Account) -> AccountOut:
        out: dict[str, Any] = {
            "id": account.id,
            "platform": account.platform,
            "name": account.name,
            "username": account.username,
            "brand_id": account.brand_id,
            "status": account.status,
        }
        return AccountOut.build(out | present(account, ("reconnect_reason", "profile_picture_url", "bio", "page_name")))


class AccountListOut(Out):
    data: list[AccountOut]
    count: int

    @staticmethod
    def of(accounts: list[Account]) -> AccountListOut:
        return AccountListOut.build({"data": [AccountOut.of(a) for a in accounts], "count": len(accounts)})


class UsageOut(Out):
    plan: str
    brands_used: int
    brands_limit: int
    posts_used: int
    posts_limit: int
    interactions_used: int
    interactions_limit: int
    profile_units_used: int
    profile_units_limit: int
    period_start: str
    period_end: str
    # 2026-08-22 (guides/concepts): Facebook Pages per brand, and the legacy page-billing flag.
    page_allowance: int | None = None
    page_billing_exempt: bool | None = None

    @staticmethod
    def of(usage: Usage) -> UsageOut:
        plan = usage.plan
        free = plan.is_free
        out: dict[str, Any] = {
            "plan": plan.name,
            "brands_used": usage.brands_used,
            "brands_limit": 2 if free else -1,
            "posts_used": plan.posts_used,
            "posts_limit": plan.posts_limit,
            "interactions_used": 0,
            "interactions_limit": 50 if free else -1,
            "profile_units_used": 0,
            "profile_units_limit": -1,
            "period_start": format_instant(usage.period_start),
            "period_end": format_instant(usage.period_end),
        }
        if usage.page_allowance is not None:
            # "Page assignment is not billed for any account": the legacy flag stays false.
            out |= {"page_allowance": usage.page_allowance, "page_billing_exempt": False}
        return UsageOut.build(out)
