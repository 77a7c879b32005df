"""Pinterest board management (2026-08-22): create, update and delete a Pinterest account's boards.

``boardId`` in a path is SocialAPI's handle (``sapi_board_…``) or Pinterest's own id. Create takes
``PUBLIC``, ``PROTECTED`` or ``SECRET``; update only ``PUBLIC`` or ``SECRET``, and a ``PROTECTED``
board's privacy cannot change at all (Pinterest's own rule). Deleting a board deletes its Pins on
Pinterest; the mock's posts keep their records.
"""

from __future__ import annotations

from dataclasses import replace

from mockserver.core.accounts.area import Accounts
from mockserver.core.errors import NotFound, ReconnectionRequired, ValidationFailed
from mockserver.core.models import Account
from mockserver.core.records.accounts import BOARD_PLATFORMS, BOARD_PRIVACY, Board, pinterest_board_id
from mockserver.core.tenancy import Area, Tenant

UPDATE_PRIVACY: tuple[str, ...] = ("PUBLIC", "SECRET")
NAME_MAX = 180
DESCRIPTION_MAX = 500
ADDED_IN = "2026-08-22"


class BoardWrites(Area):
    """Board management, an area of its own beside the accounts area it reads accounts from."""

    def __init__(self, tenant: Tenant, accounts: Accounts) -> None:
        super().__init__(tenant)
        self.accounts = accounts

    def create_board(self, account_id: str, name: str | None, description: str | None, privacy: str | None) -> Board:
        with self.lock:
            account = self._writable(account_id)
            checked = _name(name)
            if checked is None:
                raise ValidationFailed.required("name", "name is required")
            level = _privacy(privacy, BOARD_PRIVACY) or "PUBLIC"
            now = self.clock.now()
            handle = self.state.ids.next("sapi_board_", now)
            board = Board(handle, account.id, checked, level, pinterest_board_id(handle), _description(description))
            self.state.accounts.boards[board.id] = board
            return board

    def update_board(
        self, account_id: str, board_id: str, name: str | None, description: str | None, privacy: str | None
    ) -> Board:
        with self.lock:
            board = self._board(self._writable(account_id), board_id)
            level = _privacy(privacy, UPDATE_PRIVACY)
            if level is not None and board.privacy == "PROTECTED" and level != "PROTECTED":
                raise ValidationFailed.invalid(
                    "privacy", "a PROTECTED board's privacy cannot be changed through update; recreate the board"
                )
            updated = replace(
                board,
                name=_name(name) or board.name,
                description=board.description if description is None else _description(description),
                privacy=level or board.privacy,
            )
            self.state.accounts.boards[board.id] = updated
            return updated

    def delete_board(self, account_id: str, board_id: str) -> None:
        with self.lock:
            board = self._board(self._writable(account_id), board_id)
            del self.state.accounts.boards[board.id]

    def _writable(self, account_id: str) -> Account:
        if not self.tenant.generation.board_management:
            raise NotFound(
                f"board management was added in {ADDED_IN}; this server imitates {self.tenant.generation.version} "
                f"(serve --api-version {ADDED_IN})",
                code="resource.not_found",
            )
        account = self.accounts.account(account_id, "account_id")
        if account.platform not in BOARD_PLATFORMS:
            raise ValidationFailed.invalid(
                "account_id",
                f"{account.platform} accounts have no boards; boards exist for Pinterest",
                code="account.unsupported_platform",
            )
        if account.status != "active":
            raise ReconnectionRequired(
                "Account requires reconnection", meta={"account_id": account.id, "field": "account_id"}
            )
        return account

    def _board(self, account: Account, board_id: str) -> Board:
        for board in self.state.accounts.boards.values():
            if board.account_id == account.id and board_id in (board.id, board.raw_id):
                return board
        raise NotFound(
            f"board {board_id} is not a board of account {account.id}",
            code="resource.not_found",
            meta={"resource": "board", "id": board_id},
        )


def _name(name: str | None) -> str | None:
    if name is None:
        return None
    stripped = name.strip()
    if not stripped or len(stripped) > NAME_MAX:
        raise ValidationFailed.invalid("name", f"name must be 1 to {NAME_MAX} characters")
    return stripped


def _description(description: str | None) -> str:
    if description is not None and len(description) > DESCRIPTION_MAX:
        raise ValidationFailed.invalid("description", f"description must be at most {DESCRIPTION_MAX} characters")
    return description or ""


def _privacy(privacy: str | None, allowed: tuple[str, ...]) -> str | None:
    if privacy is not None and privacy not in allowed:
        raise ValidationFailed.invalid("privacy", f"privacy must be one of {', '.join(allowed)}, got {privacy!r}")
    return privacy
