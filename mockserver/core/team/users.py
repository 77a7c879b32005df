"""The user behind the team: ``/v1/users/me`` (docs/team.md).

Deleting the user deletes the team's keys, connected accounts and usage: every key then answers 401
on its next request, and the tenant stays closed until ``POST /_mock/reset``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mockserver.core.baseline import Plan
from mockserver.core.errors import ValidationFailed
from mockserver.core.models import PLATFORMS
from mockserver.core.records.team import UserProfile
from mockserver.core.tenancy import Area

TEXT_LIMIT = 500


@dataclass(frozen=True, slots=True)
class UserView:
    profile: UserProfile
    plan: str
    allowed_platforms: tuple[str, ...]


class Users(Area):
    def get_user(self) -> UserView:
        with self.lock:
            return UserView(replace(self.state.team.user), self.state.plan.name, PLATFORMS)

    def update_user(
        self, *, onboarding: bool | None = None, use_case: str | None = None, referral: str | None = None
    ) -> UserView:
        with self.lock:
            # "Currently only supports setting onboarding=false to mark onboarding as complete."
            if onboarding is True:
                raise ValidationFailed.invalid("onboarding", "Invalid request body or onboarding value")
            user = self.state.team.user
            for name, value in (("use_case", use_case), ("referral", referral)):
                if value is not None and len(value) > TEXT_LIMIT:
                    raise ValidationFailed.invalid(name, f"{name} must be at most {TEXT_LIMIT} characters")
            if onboarding is False:
                user.onboarding = False
            if use_case is not None:
                user.use_case = use_case
            if referral is not None:
                user.referral = referral
            return self.get_user()

    def delete_user(self) -> None:
        with self.lock:
            state = self.state
            state.team.user.deleted = True
            for key in state.team.api_keys.values():
                key.is_active = False
            state.keys.clear()
            for account_id, account in state.accounts.items.items():
                state.accounts.items[account_id] = replace(account, status="disconnected")
            state.plan = Plan(state.plan.name, state.plan.posts_limit, 0)
