"""The user: ``/v1/users/me``."""

from __future__ import annotations

from mockserver.api.shapes.common import Out, Request, ShortText
from mockserver.core.team.users import UserView


class UserUpdateRequest(Request):
    """``PATCH /v1/users/me``: only ``onboarding: false`` (onboarding done) changes onboarding."""

    onboarding: bool | None = None
    use_case: ShortText | None = None
    referral: ShortText | None = None


class UserOut(Out):
    id: str
    email: str
    plan: str
    onboarding: bool
    avatar_url: str | None
    beta_tester: bool
    allowed_platforms: list[str]
    use_case: str | None
    billing_blocked: bool
    billing_blocked_at: str | None
    lock_accounts_to_brand: bool

    @staticmethod
    def of(user: UserView) -> UserOut:
        profile = user.profile
        return UserOut.validated(
            {
                "id": profile.id,
                "email": profile.email,
                "plan": user.plan,
                "onboarding": profile.onboarding,
                "avatar_url": None,
                "beta_tester": False,
                "allowed_platforms": list(user.allowed_platforms),
                "use_case": profile.use_case,
                "billing_blocked": False,
                "billing_blocked_at": None,
                "lock_accounts_to_brand": False,
            }
        )
