"""What a connected account publishes into: pages, boards, TikTok creator info, daily limits."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, RootModel

from mockserver.api.shapes.common import Out, Request, present
from mockserver.core.accounts.pages import CreatorStatus
from mockserver.core.records.accounts import AccountPage, Board


class PageUpdateRequest(Request):
    """``PATCH /v1/accounts/{account_id}/pages/{page_id}``: either flag, or neither (a no-op)."""

    is_default: bool | None = None
    is_active: bool | None = None


class PageOut(Out):
    id: str
    name: str
    platform_page_id: str
    is_default: bool
    is_active: bool
    category: str | None = None
    username: str | None = None
    link: str | None = None
    followers_count: int | None = None

    @staticmethod
    def of(page: AccountPage) -> PageOut:
        out: dict[str, Any] = {
            "id": page.id,
            "name": page.name,
            "platform_page_id": page.platform_page_id,
            "is_default": page.is_default,
            "is_active": page.is_active,
        }
        return PageOut.build(out | present(page, ("category", "username", "link", "followers_count")))


class PageListOut(Out):
    data: list[PageOut]

    @staticmethod
    def of(pages: list[AccountPage]) -> PageListOut:
        return PageListOut.build({"data": [PageOut.of(p) for p in pages]})


class BoardOut(Out):
    """A board: ``id`` is SocialAPI's handle, ``board_id`` Pinterest's own id (either names it)."""

    id: str
    board_id: str
    name: str
    privacy: str

    @staticmethod
    def of(board: Board) -> BoardOut:
        return BoardOut.build({"id": board.id, "board_id": board.raw_id, "name": board.name, "privacy": board.privacy})


class BoardCreateRequest(Request):
    """``POST /v1/accounts/{id}/boards`` (2026-08-22): ``name`` required, ``privacy`` default PUBLIC."""

    name: Annotated[str, Field(max_length=1000)] | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    privacy: Annotated[str, Field(max_length=32)] | None = None


class BoardUpdateRequest(Request):
    """``PATCH /v1/accounts/{id}/boards/{boardId}``: ``privacy`` is PUBLIC or SECRET only."""

    name: Annotated[str, Field(max_length=1000)] | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    privacy: Annotated[str, Field(max_length=32)] | None = None


class BoardListOut(Out):
    data: list[BoardOut]

    @staticmethod
    def of(boards: list[Board]) -> BoardListOut:
        return BoardListOut.build({"data": [BoardOut.of(b) for b in boards]})


class InteractionSettingsOut(Out):
    comment_disabled: bool
    duet_disabled: bool
    stitch_disabled: bool


class CreatorInfoOut(Out):
    platform: str
    nickname: str
    avatar_url: str | None = None
    can_post: bool
    max_video_duration_sec: int
    privacy_level_options: list[str]
    interaction_settings: InteractionSettingsOut

    @staticmethod
    def of(status: CreatorStatus) -> CreatorInfoOut:
        account, info, can_post = status.account, status.info, status.can_post
        out: dict[str, Any] = {
            "platform": account.platform,
            "nickname": info.nickname,
            "can_post": can_post,
            "max_video_duration_sec": info.max_video_duration_sec,
            # Empty once the creator reached TikTok's daily cap, as TikTok answers.
            "privacy_level_options": list(info.privacy_level_options) if can_post else [],
            "interaction_settings": InteractionSettingsOut.build(
                {
                    "comment_disabled": info.comment_disabled,
                    "duet_disabled": info.duet_disabled,
                    "stitch_disabled": info.stitch_disabled,
                }
            ),
        }
        if info.avatar_url is not None:
            out["avatar_url"] = info.avatar_url
        return CreatorInfoOut.build(out)


class LimitsOut(RootModel[dict[str, int]]):
    """A flat map of remaining counts (``posts_remaining``); ``{}`` for a platform without a ceiling."""

    model_config = ConfigDict(defer_build=True)

    @staticmethod
    def of(remaining: dict[str, int]) -> LimitsOut:
        return LimitsOut.model_construct(remaining)
