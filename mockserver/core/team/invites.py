"""Brand invites: single-use links through which an outside user connects an account to a brand
(docs/team.md). They expire on the tenant's fake clock; a revoked, redeemed or expired link answers 410.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from mockserver.core.accounts.connections import OAUTH_PLATFORMS, Connections
from mockserver.core.accounts.logins import ConnectStarted
from mockserver.core.errors import Conflict, Gone, NotFound, ValidationFailed
from mockserver.core.records.team import Invite
from mockserver.core.tenancy import Area, Tenant
from mockserver.core.timefmt import shifted

EXPIRY_DAYS: tuple[int, ...] = (1, 3, 7, 14, 30)
TOKEN_HEX = 40
EXPIRED = "Invite expired or already used"


class Invites(Area):
    def __init__(self, tenant: Tenant, connections: Connections) -> None:
        super().__init__(tenant)
        self.connections = connections

    def create_invite(self, brand_id: str, platform: str, expires_in_days: int) -> Invite:
        with self.lock:
            if expires_in_days not in EXPIRY_DAYS:
                raise ValidationFailed.invalid(
                    "expires_in_days", f"expires_in_days must be one of: {', '.join(map(str, EXPIRY_DAYS))}"
                )
            # Only the OAuth platforms: a direct-auth platform needs credentials a link cannot carry.
            if platform not in OAUTH_PLATFORMS:
                raise ValidationFailed.invalid(
                    "platform", f"unsupported platform {platform[:40]!r}; one of {', '.join(OAUTH_PLATFORMS)}"
                )
            self._brand(brand_id)
            now = self.clock.now()
            for invite in self.state.team.invites.values():
                if invite.brand_id == brand_id and invite.platform == platform and invite.is_active(now):
                    raise Conflict("an active invite already exists for this brand and platform")
            for account in self.state.accounts.items.values():
                if account.brand_id == brand_id and account.platform == platform and account.status != "disconnected":
                    raise Conflict("brand already has a connected account for this platform")
            invite = Invite(
                self.state.ids.next("inv_", now),
                brand_id,
                platform,
                self.state.ids.hex(TOKEN_HEX),
                now,
                shifted(now, timedelta(days=expires_in_days)),
            )
            self.state.team.invites[invite.id] = invite
            return invite

    def list_invites(self, brand_id: str) -> list[Invite]:
        """Active and spent invites of a brand, newest first."""
        with self.lock:
            self._brand(brand_id)
            mine = [invite for invite in self.state.team.invites.values() if invite.brand_id == brand_id]
            return mine[::-1]

    def is_active(self, invite: Invite) -> bool:
        return invite.is_active(self.clock.now())

    def revoke_invite(self, invite_id: str) -> None:
        with self.lock:
            invite = self.state.team.invites.get(invite_id)
            if invite is None or invite.used:
                raise NotFound(
                    "Invite not found or already used",
                    code="invite.not_found",
                    meta={"resource": "invite", "id": invite_id},
                )
            self.state.team.invites[invite_id] = replace(invite, used=True)

    def holds_invite(self, token: str) -> bool:
        with self.lock:
            return any(invite.token == token for invite in self.state.team.invites.values())

    def redeem_invite(self, token: str) -> ConnectStarted:
        """Spend the link and start the platform's consent flow for the invite's brand."""
        with self.lock:
            invite = next((i for i in self.state.team.invites.values() if i.token == token), None)
            if invite is None:
                raise NotFound("Invite not found", code="invite.not_found", meta={"resource": "invite"})
            if not invite.is_active(self.clock.now()):
                raise Gone(EXPIRED)
            started = self.connections.connect_account(invite.platform, brand_id=invite.brand_id)
            assert isinstance(started, ConnectStarted)  # OAuth platforms only, checked at creation
            self.state.team.invites[invite.id] = replace(invite, used=True)
            return started

    def _brand(self, brand_id: str) -> None:
        if brand_id not in self.state.accounts.brands:
            raise NotFound("Brand not found", code="brand.not_found", meta={"resource": "brand", "id": brand_id})
