"""The API generations the mock imitates, one at a time, and what differs between them.

The docs changed between the OpenAPI document of 2026-06-22 (the seed of this mock) and that of
2026-08-22, and again in the later documents, dated here 2026-10-02 (the newest date they show). A
server imitates one generation, chosen with ``serve --api-version`` (the marker's ``api_version``;
``latest`` names the newest), so a test never sees a mix that the real API never served. The
differences that are behaviour live here; the status codes that differ live in ``api/errors.py``.
``docs/api-versions.md`` lists every difference with its source. ``media`` is accepted by all.
"""

from __future__ import annotations

from dataclasses import dataclass

V0622 = "2026-06-22"
V0822 = "2026-08-22"
V1002 = "2026-10-02"
API_VERSIONS: tuple[str, ...] = (V0622, V0822, V1002)
DEFAULT_API_VERSION = V0622
# ``--api-version latest`` (and the marker's) names the newest generation, whichever that is.
LATEST_ALIAS = "latest"


@dataclass(frozen=True, slots=True)
class Generation:
    version: str
    # How publish_now and POST /publish answer: "sync" (the outcome, 201/207/422) or "async" (201 publishing).
    publish_mode: str
    # DELETE of a draft, scheduled or failed post: False keeps it as "cancelled", True removes the row.
    delete_removes_row: bool
    post_limit_code: str
    post_limit_message: str
    # The request rate limit (ratelimit.exceeded) and the posting velocity caps (publishing.velocity_limit):
    # on by default from 2026-10-02; a serve option, the marker and PATCH /_mock/tenant switch each either way.
    request_limit: bool = False
    velocity_caps: bool = False
    # The platforms' own daily ceilings where this generation's docs give another figure than
    # DAILY_POST_CEILINGS (core/accounts/limits.py): the later docs raise Instagram's from 25 to 50.
    daily_ceilings: tuple[tuple[str, int], ...] = ()
    # The analytics history routes and account sync (GET /v1/{accounts,brands,posts}/{id}/analytics,
    # POST /v1/accounts/{id}/sync): documented from 2026-10-02; older generations answer 404 as before.
    history_routes: bool = False
    # The 429 when a free plan's interaction credits (inbox replies, DM sends) are spent.
    interaction_limit_code: str = "billing.interaction_limit"
    interaction_limit_message: str = "monthly interaction limit reached"
    # Published Instagram targets carry ``platform_media`` and ``settings`` (docs posts/instagram, later).
    instagram_platform_media: bool = False
    # Keys carry scopes and brands, and GET /v1/keys/scopes, PATCH /v1/keys/{id} and POST
    # /v1/keys/{id}/rotate exist (added 2026-07-12): before, every key had full access.
    key_scopes: bool = False

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
        interaction_limit_code="validation.interaction_limit_exhausted",
        interaction_limit_message="Monthly interaction limit exhausted",
        key_scopes=True,
    ),
    V1002: Generation(
        V1002,
        publish_mode="async",
        delete_removes_row=True,
        post_limit_code="validation.post_limit_exhausted",
        post_limit_message="Monthly post limit exhausted",
        request_limit=True,
        velocity_caps=True,
        daily_ceilings=(("instagram", 50),),
        history_routes=True,
        instagram_platform_media=True,
        interaction_limit_code="validation.interaction_limit_exhausted",
        interaction_limit_message="Monthly interaction limit exhausted",
        key_scopes=True,
    ),
}


def resolve_version(name: str) -> str:
    """``name`` with the alias ``latest`` read as the newest generation; other names unchanged."""
    return API_VERSIONS[-1] if name == LATEST_ALIAS else name


def generation(version: str) -> Generation:
    found = GENERATIONS.get(resolve_version(version))
    if found is None:
        raise ValueError(f"unknown API version {version!r}; one of {', '.join(API_VERSIONS)} or {LATEST_ALIAS}")
    return found
