"""Pending selections (2026-08-22): the exchange's ``selection_required`` answer, ``…/pending/{id}``
and its ``select``, and a Facebook login's Pages with their assignment."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from mockserver.api.shapes.common import Ident, Out, Request
from mockserver.core.accounts.selection import Assignment, PageCandidate, SelectionView
from mockserver.core.records.accounts import LoginChoice, LostPage, PlatformLogin
from mockserver.core.timefmt import format_instant

# A login lists at most this many Pages (fixtures cap them at 50).
PAGE_IDS_MAX = 50


class PendingProfileOut(Out):
    platform_account_id: str
    display_name: str
    username: str
    profile_picture_url: str
    bio: str

    @staticmethod
    def of(choice: LoginChoice) -> PendingProfileOut:
        return PendingProfileOut.build(
            {
                "platform_account_id": choice.id,
                "display_name": choice.name,
                "username": choice.username,
                "profile_picture_url": "",
                "bio": choice.bio,
            }
        )


class PendingPageOut(Out):
    platform_page_id: str
    name: str
    category: str
    picture_url: str
    assigned_brand_id: str
    assigned_brand_name: str
    assigned_account_id: str
    assignable: bool

    @staticmethod
    def of(candidate: PageCandidate) -> PendingPageOut:
        return PendingPageOut.build(
            {
                "platform_page_id": candidate.page.id,
                "name": candidate.page.name,
                "category": candidate.page.category,
                "picture_url": "",
                "assigned_brand_id": candidate.assigned_brand_id,
                "assigned_brand_name": candidate.assigned_brand_name,
                "assigned_account_id": candidate.assigned_account_id,
                "assignable": candidate.assignable,
            }
        )


class LostPageAccessOut(Out):
    platform_page_id: str
    name: str
    brand_id: str
    brand_name: str

    @staticmethod
    def of(lost: LostPage, brand_name: str) -> LostPageAccessOut:
        return LostPageAccessOut.build(
            {
                "platform_page_id": lost.platform_page_id,
                "name": lost.name,
                "brand_id": lost.brand_id,
                "brand_name": brand_name,
            }
        )


class PendingConnectionOut(Out):
    """``POST /v1/oauth/exchange`` (200) and, with ``expires_at`` in place of ``status``,
    ``GET /v1/accounts/pending/{connection_id}``: Google lists ``profiles``; Facebook ``login_id``,
    ``pages`` and ``lost_access``."""

    status: Literal["selection_required"] | None = None
    connection_id: str
    platform: str
    expires_at: str | None = None
    profiles: list[PendingProfileOut] | None = None
    login_id: str | None = None
    pages: list[PendingPageOut] | None = None
    lost_access: list[LostPageAccessOut] | None = None

    @staticmethod
    def of(view: SelectionView, *, detail: bool = False) -> PendingConnectionOut:
        selection = view.selection
        out: dict[str, Any] = {} if detail else {"status": "selection_required"}
        out["connection_id"] = selection.connection_id
        out["platform"] = selection.platform
        if detail:
            out["expires_at"] = format_instant(selection.expires_at)
        if selection.platform == "google":
            out["profiles"] = [PendingProfileOut.of(p) for p in view.profiles]
            return PendingConnectionOut.build(out)
        out["login_id"] = selection.login_id
        out["pages"] = [PendingPageOut.of(p) for p in view.pages]
        out["lost_access"] = [LostPageAccessOut.of(lost, name) for lost, name in view.lost_access]
        return PendingConnectionOut.build(out)


class SelectRequest(Request):
    """``POST /v1/accounts/pending/{connection_id}/select``: one Profile (Google) or Pages (Facebook)."""

    platform_account_id: Ident | None = None
    page_ids: Annotated[list[Ident], Field(max_length=PAGE_IDS_MAX)] | None = None


class LoginPagesOut(Out):
    login_id: str
    pages: list[PendingPageOut]
    count: int

    @staticmethod
    def of(login: PlatformLogin, pages: tuple[PageCandidate, ...]) -> LoginPagesOut:
        listed = [PendingPageOut.of(p) for p in pages]
        return LoginPagesOut.build({"login_id": login.login_id, "pages": listed, "count": len(pages)})


class AssignPageRequest(Request):
    brand_id: Ident | None = None


class AssignPageOut(Out):
    account_id: str
    brand_id: str
    platform_page_id: str

    @staticmethod
    def of(assignment: Assignment) -> AssignPageOut:
        return AssignPageOut.build(
            {
                "account_id": assignment.account_id,
                "brand_id": assignment.brand_id,
                "platform_page_id": assignment.platform_page_id,
            }
        )
