"""Public API handlers for the user behind the team."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.common import OkOut
from mockserver.api.shapes.users import UserOut, UserUpdateRequest
from mockserver.api.spec import operation


@operation("The authenticated user", responses={200: UserOut}, errors=(401,))
def get_me(call: Call) -> Reply:
    return Reply(UserOut.of(call.backend.users.get_user()))


@operation(
    "Update the user (onboarding done, use case, referral)",
    request=UserUpdateRequest,
    responses={200: UserOut},
    errors=(400, 401, 403),
)
def update_me(call: Call) -> Reply:
    body = call.parse(UserUpdateRequest)
    user = call.backend.users.update_user(onboarding=body.onboarding, use_case=body.use_case, referral=body.referral)
    return Reply(UserOut.of(user))


@operation("Delete the user: its keys, accounts and usage", responses={200: OkOut}, errors=(401, 403))
def delete_me(call: Call) -> Reply:
    call.backend.users.delete_user()
    return Reply(OkOut.of())
