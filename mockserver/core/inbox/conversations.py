"""``Conversations``: DM threads, their messages, read state, and sends inside the messaging window."""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.core.errors import NotFound, ValidationFailed
from mockserver.core.ids import derived_id
from mockserver.core.inbox.base import InboxArea
from mockserver.core.inbox.credits import Credits
from mockserver.core.inbox.paging import Page, page_of
from mockserver.core.inbox.policy import DM_PLATFORMS, MESSAGING_WINDOW, WINDOW_CODES
from mockserver.core.reach import Reach
from mockserver.core.records.inbox import Conversation, Message
from mockserver.core.tenancy import Tenant

STATUSES = ("active", "archived")


@dataclass(frozen=True, slots=True)
class ConversationQuery:
    account_id: str | None = None
    platform: str | None = None
    status: str = "active"
    limit: int = 25
    cursor: str | None = None
    # A brand-restricted key's reach: only conversations of its brands' accounts.
    reach: Reach | None = None


@dataclass(frozen=True, slots=True)
class Sent:
    message_ids: tuple[str, ...]


class Conversations(InboxArea):
    def __init__(self, tenant: Tenant, credits: Credits) -> None:
        super().__init__(tenant)
        self.credits = credits

    def list(self, query: ConversationQuery) -> Page[Conversation]:
        """Newest activity first."""
        with self.lock:
            allowed = None if query.reach is None else query.reach.account_ids(self.state.accounts.items)
            found = [
                c
                for c in self.state.inbox.conversations.values()
                if c.status == query.status
                and (allowed is None or c.account_id in allowed)
                and (query.account_id is None or c.account_id == query.account_id)
                and (query.platform is None or c.platform == query.platform)
            ]
            found.sort(key=lambda c: (c.updated_at, c.id), reverse=True)
            return page_of(found, lambda c: c.id, query.limit, query.cursor)

    def get(self, conversation_id: str) -> Conversation:
        with self.lock:
            return self._find(conversation_id)

    def set_status(self, conversation_id: str, status: str) -> Conversation:
        with self.lock:
            conversation = self._find(conversation_id)
            if status not in STATUSES:
                raise ValidationFailed.invalid("status", "Invalid request body or status value")
            conversation.status = status
            return conversation

    def messages(self, conversation_id: str, limit: int, cursor: str | None) -> Page[Message]:
        """Newest first."""
        with self.lock:
            conversation = self._find(conversation_id)
            return page_of(conversation.messages[::-1], lambda m: m.id, limit, cursor)

    def mark_read(self, conversation_id: str) -> None:
        with self.lock:
            self._find(conversation_id).unread_count = 0

    def send(self, conversation_id: str, account_id: str, text: str | None, attachment_url: str | None) -> Sent:
        """One outgoing message per bubble (text first, then the attachment), inside the window. One credit."""
        with self.lock:
            conversation = self._find(conversation_id)
            account = self.account(account_id)
            if conversation.account_id != account.id:
                raise NotFound.of("conversation", conversation_id)
            self.supported(account, DM_PLATFORMS, "sending DMs")
            if not text and not attachment_url:
                raise ValidationFailed.required("text", "text or attachment_url is required")
            now = self.clock.now()
            code = WINDOW_CODES.get(account.platform)
            opened = conversation.last_inbound_at
            if code is not None and (opened is None or now - opened > MESSAGING_WINDOW):
                raise ValidationFailed.invalid(
                    "conversation_id",
                    f"messaging window closed ({code}: the participant last wrote more than 24 hours ago)",
                    code=code,
                )
            self.credits.spend()
            bubbles: list[tuple[str | None, str | None]] = []
            if text:
                bubbles.append((text, None))
            if attachment_url:
                bubbles.append((None, attachment_url))
            ids: list[str] = []
            for bubble_text, url in bubbles:
                number = len(conversation.messages)
                message = Message(
                    derived_id("msg_", now, conversation.id, number),
                    conversation.id,
                    f"m_{self.state.ids.digits(16)}",
                    "outgoing",
                    bubble_text,
                    account.platform_user_id,
                    account.name,
                    now,
                    attachment_type="image" if url else None,
                    attachment_url=url,
                    status="sent",
                )
                conversation.messages.append(message)
                ids.append(message.id)
            conversation.last_message = text if text else attachment_url
            conversation.last_message_at = conversation.updated_at = now
            return Sent(tuple(ids))

    def _find(self, conversation_id: str) -> Conversation:
        conversation = self.state.inbox.conversations.get(conversation_id)
        if conversation is None:
            raise NotFound.of("conversation", conversation_id)
        return conversation
