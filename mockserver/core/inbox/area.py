"""``Inbox``: the inbox area's parts over one tenant, built once by the facade (``backend.inbox``)."""

from __future__ import annotations

import uuid

from mockserver.core.ids import stable_seed
from mockserver.core.inbox.arrivals import Arrivals
from mockserver.core.inbox.audience import Audience
from mockserver.core.inbox.comments import Comments
from mockserver.core.inbox.conversations import Conversations
from mockserver.core.inbox.credits import Credits
from mockserver.core.inbox.intake import Intake
from mockserver.core.inbox.overview import Overview
from mockserver.core.inbox.replies import Replies
from mockserver.core.inbox.reviews import Mentions, Reviews
from mockserver.core.inbox.scripted import ScriptedFile
from mockserver.core.tenancy import Tenant


class Inbox:
    """Holds no state: each part acts on ``tenant.state.inbox``."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        intake = Intake(tenant)
        self.credits = Credits(tenant)
        self.audience = Audience(tenant, intake)
        self.comments = Comments(tenant, intake, self.credits)
        self.conversations = Conversations(tenant, self.credits)
        self.reviews = Reviews(tenant, self.credits)
        self.mentions = Mentions(tenant)
        self.arrivals = Arrivals(tenant, self.audience)
        self.overview = Overview(tenant)
        self.scripted = ScriptedFile(tenant, self.arrivals)
        self.replies = Replies(tenant)

    @property
    def user_id(self) -> str:
        """The SocialAPI user the inbox rows belong to: one per tenant, stable across runs."""
        return str(uuid.UUID(int=stable_seed(self.tenant.seed, self.tenant.name, "user") << 64 | 0x4000_8000_0000_0000))
