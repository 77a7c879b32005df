"""Public API handlers for what an account publishes into: pages, boards, creator info, limits."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.account_details import (
    BoardCreateRequest,
    BoardListOut,
    BoardOut,
    BoardUpdateRequest,
    CreatorInfoOut,
    LimitsOut,
    PageListOut,
    PageOut,
    PageUpdateRequest,
)
from mockserver.api.spec import operation


@operation("List a Facebook, LinkedIn or Google account's pages", responses={200: PageListOut}, errors=(400, 401, 404))
def list_pages(call: Call) -> Reply:
    return Reply(PageListOut.of(call.backend.accounts.list_pages(call.params["account_id"])))


@operation(
    "Make a page the default, or (de)activate it",
    request=PageUpdateRequest,
    responses={200: PageOut},
    errors=(400, 401, 404),
)
def update_page(call: Call) -> Reply:
    change = call.parse(PageUpdateRequest)
    page = call.backend.accounts.update_page(
        call.params["account_id"], call.params["page_id"], is_default=change.is_default, is_active=change.is_active
    )
    return Reply(PageOut.of(page))


@operation("List a Pinterest account's boards", responses={200: BoardListOut}, errors=(400, 401, 404))
def list_boards(call: Call) -> Reply:
    return Reply(BoardListOut.of(call.backend.accounts.list_boards(call.params["account_id"])))


@operation(
    "Create a board on a Pinterest account (2026-08-22)",
    request=BoardCreateRequest,
    responses={201: BoardOut},
    errors=(400, 401, 403, 404),
)
def create_board(call: Call) -> Reply:
    body = call.parse(BoardCreateRequest)
    board = call.backend.boards.create_board(call.params["account_id"], body.name, body.description, body.privacy)
    return Reply(BoardOut.of(board), 201)


@operation(
    "Rename a board or change its description or privacy (2026-08-22; boardId: handle or Pinterest id)",
    request=BoardUpdateRequest,
    responses={200: BoardOut},
    errors=(400, 401, 403, 404),
)
def update_board(call: Call) -> Reply:
    body = call.parse(BoardUpdateRequest)
    board = call.backend.boards.update_board(
        call.params["account_id"], call.params["board_id"], body.name, body.description, body.privacy
    )
    return Reply(BoardOut.of(board))


@operation(
    "Delete a board and its Pins (2026-08-22; boardId: handle or Pinterest id)",
    responses={204: None},
    errors=(400, 401, 403, 404),
)
def delete_board(call: Call) -> Reply:
    call.backend.boards.delete_board(call.params["account_id"], call.params["board_id"])
    return Reply(status=204)


@operation("TikTok creator info (other platforms: 501)", responses={200: CreatorInfoOut}, errors=(401, 404, 501))
def get_creator_info(call: Call) -> Reply:
    return Reply(CreatorInfoOut.of(call.backend.accounts.get_creator_info(call.params["account_id"])))


@operation("Remaining daily posts of an account", responses={200: LimitsOut}, errors=(401, 403, 404))
def get_limits(call: Call) -> Reply:
    return Reply(LimitsOut.of(call.backend.accounts.get_limits(call.params["account_id"])))
