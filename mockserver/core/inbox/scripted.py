"""``ScriptedFile``: a scenario document's ``arrivals:``, resolved and scheduled when it is activated.

Each entry becomes the ``ArrivalRequest`` that ``POST /_mock/inbox/arrivals`` would send, and goes
through the same ``Arrivals.check`` and ``Arrivals.schedule``: the rules have one home. All entries
are checked before any is scheduled, so a bad entry changes nothing; its refusal names the entry and
the field (``arrivals[1].platform``).
"""

from __future__ import annotations

from collections.abc import Sequence

from mockserver.core.errors import DomainError, NotFound, ScenarioInvalid, ValidationFailed
from mockserver.core.inbox.arrivals import ArrivalRequest, Arrivals, Arrived, Checked
from mockserver.core.inbox.base import InboxArea
from mockserver.core.scenarios.arrivals import ArrivalEntry, resolve_at
from mockserver.core.tenancy import Tenant


class ScriptedFile(InboxArea):
    def __init__(self, tenant: Tenant, arrivals: Arrivals) -> None:
        super().__init__(tenant)
        self.arrivals = arrivals

    def check(self, entries: Sequence[ArrivalEntry], *, source: str) -> list[Checked]:
        """Every entry resolved at the clock's current instant and checked; nothing changes."""
        with self.lock:
            checked: list[Checked] = []
            for index, entry in enumerate(entries):
                try:
                    checked.append(self._check(entry))
                except ValidationFailed as exc:
                    field = f"arrivals[{index}].{exc.meta['field']}"
                    raise ScenarioInvalid(f"{source}: {field}: {exc.message}", meta={"field": field}) from None
            return checked

    def schedule(self, checked: Sequence[Checked]) -> list[Arrived]:
        with self.lock:
            return [self.arrivals.schedule(one) for one in checked]

    def _check(self, entry: ArrivalEntry) -> Checked:
        try:
            at = resolve_at(entry.at, self.clock.now())
        except (ValueError, OverflowError) as exc:
            raise ValidationFailed.invalid("at", str(exc)) from None
        target = "post_id" if entry.kind == "comment" else "account_id"
        named_by = target if entry.platform is None else "platform"
        post_id, account_id = entry.post_id, entry.account_id
        if entry.platform is not None and entry.kind == "comment":
            post_id = self._newest_post_on(entry.platform)
        elif entry.platform is not None:
            account_id = self._first_account_on(entry.platform)
        request = ArrivalRequest(
            entry.kind, entry.text, entry.author_name, account_id, post_id, rating=entry.rating, at=at
        )
        try:
            return self.arrivals.check(request)
        except DomainError as exc:
            field = exc.meta.get("field") if not isinstance(exc, NotFound) else target
            if field == target:
                field = named_by
            raise ValidationFailed.invalid(str(field or named_by), exc.message) from None

    def _newest_post_on(self, platform: str) -> str:
        rows = [row for row in self.state.inbox.posts.values() if row.platform == platform]
        if not rows:
            raise ValidationFailed.invalid(
                "platform", f"no published {platform} post to comment on: publish one before applying the scenario"
            )
        return max(rows, key=lambda row: (row.published_at, row.id)).id

    def _first_account_on(self, platform: str) -> str:
        for account in self.state.accounts.items.values():
            if account.platform == platform:
                return account.id
        raise ValidationFailed.invalid("platform", f"the tenant has no {platform} account")
