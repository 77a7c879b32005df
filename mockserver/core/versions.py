"""The API generations the mock imitates, one at a time, and what differs between them.

The docs changed between the OpenAPI document of 2026-06-22 (the seed of this mock) and that of
2026-08-22. A server imitates one generation, chosen with ``serve --api-version`` (the marker's
``api_version``), so a test never sees a mix that the real API never served. The differences that
are behaviour live here; the status codes that differ live in ``api/errors.py``. ``docs/api-versions.md``
lists every difference with its source. ``media`` is accepted by both: clients send it today.
"""

from __future__ import annotations

from dataclasses import dataclass

V0622 = "2026-06-22"
V0822 = "2026-08-22"
API_VERSIONS: tuple[str, ...] = (V0622, V0822)
DEFAULT_API_VERSION = V0622


@dataclass(frozen=True, slots=True)
class Generation:
    version: str
    # How publish_now and POST /publish answer: "sync" (the outcome, 201/207/422) or "async" (201 publishing).
    publish_mode: str
    # DELETE of a draft, scheduled or failed post: False keeps it as "cancelled", True removes the row.
    delete_removes_row: bool
    post_limit_code: str
    post_limit_message: str

    def post_limit_text(self, remaining: int) -> str:
        return self.post_limit_message.format(remaining=remaining)

    # What the 2026-08-22 documents added and every later generation keeps (derived from the date, so
    # a newer row need not repeat them).

    @property
    def pending_selections(self) -> bool:
        """Facebook (every login) and Google (a login with several Business Profiles) connect through a
        pending selection: the exchange answers 200 ``selection_required``, ``…/select`` finishes it."""
        return self.version >= V0822

    @property
    def board_management(self) -> bool:
        """``POST /v1/accounts/{id}/boards``, ``PATCH`` and ``DELETE …/boards/{boardId}``."""
        return self.version >= V0822

    @property
    def later_connects(self) -> bool:
        """``linkedin_page`` and ``whatsapp`` (Embedded Signup) connect."""
        return self.version >= V0822

    @property
    def page_allowance(self) -> bool:
        """``GET /v1/usage`` reports ``page_allowance`` and ``page_billing_exempt``."""
        return self.version >= V0822


GENERATIONS: dict[str, Generation] = {
    V0622: Generation(
        V0622,
        publish_mode="sync",
        delete_removes_row=False,
        post_limit_code="billing.post_limit",
        post_limit_message="not enough post credits: need 1, have {remaining} remaining",
    ),
    V0822: Generation(
        V0822,
        publish_mode="async",
        delete_removes_row=True,
        post_limit_code="validation.post_limit_exhausted",
        post_limit_message="Monthly post limit exhausted",
    ),
}


def generation(version: str) -> Generation:
    found = GENERATIONS.get(version)
    if found is None:
        raise ValueError(f"unknown API version {version!r}; one of {', '.join(API_VERSIONS)}")
    return found
