"""Interaction credits: each comment, review or mention reply and each DM send costs one."""

from __future__ import annotations

from mockserver.core.errors import InteractionLimitReached
from mockserver.core.inbox.policy import FREE_INTERACTIONS_PER_MONTH
from mockserver.core.tenancy import Area


class Credits(Area):
    def limit(self) -> int | None:
        """The monthly allowance, or None when the plan has no cap."""
        return FREE_INTERACTIONS_PER_MONTH if self.state.plan.name == "free" else None

    def used(self) -> int:
        with self.lock:
            return self.state.inbox.interactions.get(self._month(), 0)

    def spend(self) -> None:
        """Take one credit, or refuse with the generation's 429 when none is left (nothing recorded)."""
        with self.lock:
            month = self._month()
            used = self.state.inbox.interactions.get(month, 0)
            limit = self.limit()
            if limit is not None and used >= limit:
                generation = self.tenant.generation
                raise InteractionLimitReached(
                    generation.interaction_limit_message, code=generation.interaction_limit_code, limit=limit
                )
            self.state.inbox.interactions[month] = used + 1

    def _month(self) -> str:
        return self.clock.now().strftime("%Y-%m")
