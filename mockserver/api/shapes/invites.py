"""Brand invites: ``/v1/invites``, and the link itself, ``/invite/{token}``."""

from __future__ import annotations

from pydantic import Field

from mockserver.api.shapes.common import Ident, Out, Request
from mockserver.core.records.team import Invite
from mockserver.core.timefmt import format_instant


class InviteRequest(Request):
    """``POST /v1/invites``: the brand the account will join, its platform, and the link's lifetime."""

    brand_id: Ident
    platform: Ident
    expires_in_days: int = Field(default=7, description="One of 1, 3, 7, 14, 30")


class InviteListQuery(Request):
    brand_id: Ident | None = Field(default=None, description="Required: the brand whose invites to list")


class InviteOut(Out):
    id: str
    brand_id: str
    platform: str
    token: str
    url: str
    expires_at: str

    @staticmethod
    def of(invite: Invite, base_url: str) -> InviteOut:
        return InviteOut.validated(
            {
                "id": invite.id,
                "brand_id": invite.brand_id,
                "platform": invite.platform,
                "token": invite.token,
                "url": f"{base_url}/invite/{invite.token}",
                "expires_at": format_instant(invite.expires_at),
            }
        )


class InviteListItemOut(InviteOut):
    is_active: bool
    created_at: str

    @staticmethod
    def of(invite: Invite, base_url: str, *, active: bool = True) -> InviteListItemOut:
        base = InviteOut.of(invite, base_url).model_dump()
        created_at = format_instant(invite.created_at)
        return InviteListItemOut.validated({**base, "is_active": active, "created_at": created_at})


class InviteListOut(Out):
    data: list[InviteListItemOut]
    count: int

    @staticmethod
    def of(invites: list[tuple[Invite, bool]], base_url: str) -> InviteListOut:
        data = [InviteListItemOut.of(invite, base_url, active=active) for invite, active in invites]
        return InviteListOut.validated({"data": data, "count": len(data)})
