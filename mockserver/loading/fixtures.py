"""Fixture files: the brands, accounts, media, plans and OAuth settings every tenant starts with.

``fixtures/`` holds ``accounts.yaml`` (brands, and accounts with their pages, boards, creator info
and daily limits), ``media.yaml``, ``tenants.yaml`` and ``oauth.yaml`` (registered redirect URIs,
BYOK platforms); ``--fixtures DIR`` swaps the whole directory. A bad file raises ``FixtureError``
naming the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mockserver.core.baseline import Baseline, ExternalPost, Plan, SeedBrand, SeedMedia
from mockserver.core.fields import field_path
from mockserver.core.models import PLATFORMS, Account
from mockserver.core.records.accounts import (
    BOARD_PLATFORMS,
    CREATOR_INFO_PLATFORMS,
    PAGE_PLATFORMS,
    PRIVACY_LEVELS,
    AccountPage,
    Board,
    CreatorInfo,
    LoginChoice,
    PlatformLogin,
)
from mockserver.core.records.inbox import AudienceRates

_ID_TAIL = r"[0-9A-HJKMNP-TV-Z]{26}"


class FixtureError(ValueError):
    """A fixture file is missing, unparseable or invalid; the message names the file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PageFixture(_Strict):
    id: str = Field(pattern=r"^sapi_page_[A-Za-z0-9]+$")
    name: str = Field(min_length=1)
    platform_page_id: str = Field(min_length=1)
    is_default: bool = False
    is_active: bool = True
    category: str | None = None
    username: str | None = None
    link: str | None = None
    followers_count: int | None = Field(default=None, ge=0)


class BoardFixture(_Strict):
    id: str = Field(pattern=r"^sapi_board_[A-Za-z0-9]+$")
    name: str = Field(min_length=1)
    privacy: Literal["PUBLIC", "PROTECTED", "SECRET"] = "PUBLIC"
    board_id: str = Field(default="", pattern=r"^[0-9]{0,30}$")
    description: str = Field(default="", max_length=500)


class CreatorInfoFixture(_Strict):
    nickname: str = Field(min_length=1)
    avatar_url: str | None = None
    max_video_duration_sec: int = Field(default=600, ge=1)
    privacy_level_options: list[Literal[PRIVACY_LEVELS]] = list(PRIVACY_LEVELS)  # type: ignore[valid-type]
    comment_disabled: bool = False
    duet_disabled: bool = False
    stitch_disabled: bool = False


class BrandFixture(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)


class ExternalMediaFixture(_Strict):
    type: Literal["image", "video"]
    # Instagram withholds some files (a video with licensed audio): no url, the cover stays.
    withheld: bool = False


class InstagramSettingsFixture(_Strict):
    is_ai_generated: bool | None = None
    alt_text: str | None = None
    share_to_feed: bool | None = None
    comments_enabled: bool | None = None
    product_type: Literal["FEED", "REELS", "STORY", "AD"] | None = None
    audio_type: Literal["MUSIC", "ORIGINAL_SOUND"] | None = None


class ExternalPostFixture(_Strict):
    """A post published on the platform outside the API: it appears on the account's first sync."""

    platform_post_id: str = Field(min_length=1, max_length=200)
    text: str = ""
    published_at: datetime
    media: list[ExternalMediaFixture] = []
    settings: InstagramSettingsFixture | None = None

    @field_validator("published_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("published_at needs a time zone (end it with Z)")
        return value.astimezone(UTC)


class AccountFixture(_Strict):
    id: str = Field(pattern=rf"^acc_{_ID_TAIL}$")
    brand_id: str | None = None
    platform: Literal[PLATFORMS]  # type: ignore[valid-type]
    name: str = Field(min_length=1)
    username: str = Field(min_length=1)
    status: Literal["active", "reconnect_required"] = "active"
    reconnect_reason: str | None = None
    profile_picture_url: str | None = None
    bio: str | None = None
    page_id: str | None = None
    page_name: str | None = None
    platform_user_id: str = "0"
    pages: list[PageFixture] = []
    boards: list[BoardFixture] = []
    creator_info: CreatorInfoFixture | None = None
    # Posts per rolling 24 hours, instead of the platform's ceiling (Instagram 25, Threads 250, TikTok 15).
    daily_post_limit: int | None = Field(default=None, ge=0)
    # The IANA zone the account's analytics days are cut on.
    timezone: str = "UTC"
    # Posts published outside the API (Instagram ones carry platform_media and settings): see POST .../sync.
    external_posts: list[ExternalPostFixture] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}: use an IANA name such as Europe/Paris") from error
        return value


class AccountsFile(_Strict):
    # The brand of every account that names none.
    brand_id: str = Field(min_length=1)
    brands: list[BrandFixture] = []
    accounts: list[AccountFixture]


class RedirectUriFixture(_Strict):
    uri: str = Field(min_length=1)
    label: str | None = None


class LoginChoiceFixture(_Strict):
    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    category: str = ""
    username: str = ""
    bio: str = ""


class LoginFixture(_Strict):
    """A platform login the consent page offers: Facebook with its ``pages``, Google with its ``profiles``."""

    login_id: str = Field(pattern=r"^cred_[0-9A-Za-z]{8,40}$")
    platform: Literal["facebook", "google"]
    platform_user_id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    username: str = Field(min_length=1, max_length=200)
    pages: list[LoginChoiceFixture] = Field(default=[], max_length=50)
    profiles: list[LoginChoiceFixture] = Field(default=[], max_length=50)

    def login(self, path: Path, index: int) -> PlatformLogin:
        choices, other = (self.pages, "profiles") if self.platform == "facebook" else (self.profiles, "pages")
        if not choices or getattr(self, other):
            wanted = "pages" if self.platform == "facebook" else "profiles"
            raise FixtureError(f"{path}: logins[{index}]: a {self.platform} login lists {wanted} (and only those)")
        _unique(
            path, f"logins[{index}].{'pages' if self.platform == 'facebook' else 'profiles'}", [c.id for c in choices]
        )
        picked = tuple(LoginChoice(**c.model_dump()) for c in choices)
        return PlatformLogin(self.login_id, self.platform, self.platform_user_id, self.name, self.username, picked)


class OAuthFile(_Strict):
    redirect_uris: list[RedirectUriFixture] = []
    byok_platforms: list[Literal["twitter"]] = []
    logins: list[LoginFixture] = Field(default=[], max_length=100)


class MediaFixture(_Strict):
    id: str = Field(pattern=rf"^med_{_ID_TAIL}$")
    filename: str = Field(min_length=1)
    content_type: str = Field(pattern=r"^(image|video)/[a-z0-9.+-]+$")
    size_bytes: int = Field(ge=0)


class MediaFile(_Strict):
    media: list[MediaFixture] = []


class PlanFixture(_Strict):
    plan: Literal["free", "paid"] = "paid"
    posts_limit: int = Field(default=-1, ge=-1)
    posts_used: int = Field(default=0, ge=0)
    # Opt in to the mock's own duplicate-content check (409 post.duplicate_content; not in the real API).
    duplicate_check: bool = False


class TenantFixture(PlanFixture):
    api_key: str = Field(pattern=r"^sapi_key_[A-Za-z0-9_-]+$")


class AudienceFile(_Strict):
    enabled: bool = False
    max_comments_per_post: int = Field(default=20, ge=0, le=1000)
    dms_per_day: dict[str, float] = {}
    reviews_per_day: dict[str, float] = {}
    mentions_per_day: dict[str, float] = {}

    def rates(self) -> AudienceRates:
        def table(rates: dict[str, float]) -> tuple[tuple[str, float], ...]:
            return tuple(sorted((platform, max(rate, 0.0)) for platform, rate in rates.items()))

        return AudienceRates(
            self.enabled,
            self.max_comments_per_post,
            table(self.dms_per_day),
            table(self.reviews_per_day),
            table(self.mentions_per_day),
        )


class TenantsFile(_Strict):
    default_plan: PlanFixture = PlanFixture()
    tenants: list[TenantFixture] = []


@dataclass(frozen=True, slots=True)
class FixtureSet:
    baseline: Baseline
    tenants: dict[str, Plan] = field(default_factory=dict)
    duplicate_checks: dict[str, bool] = field(default_factory=dict)

    def baseline_for(self, api_key: str) -> Baseline:
        plan = self.tenants.get(api_key)
        if plan is None:
            return self.baseline
        return replace(self.baseline, plan=plan, duplicate_check=self.duplicate_checks[api_key])


def default_fixtures_dir() -> Path:
    here = Path(__file__).resolve()
    source_tree = here.parents[2] / "fixtures"
    return source_tree if source_tree.is_dir() else here.parents[1] / "_data" / "fixtures"


# libyaml's loader when PyYAML has it: the fixtures are read at every start, 18 ms in Python, 2 ms in C.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_document(path: Path) -> Any:
    """YAML or JSON (JSON is YAML) from ``path``; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FixtureError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise FixtureError(f"{path}: not valid YAML/JSON: {exc}") from None


def _parse(model: type[BaseModel], path: Path, data: Any) -> Any:
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise FixtureError(f"{path}: {field_path(first['loc']) or '<root>'}: {first['msg']}") from None


def load_fixtures(directory: Path | None = None) -> FixtureSet:
    directory = directory or default_fixtures_dir()
    if not directory.is_dir():
        raise FixtureError(f"{directory}: not a directory of fixture files")
    accounts_path = directory / "accounts.yaml"
    accounts: AccountsFile = _parse(AccountsFile, accounts_path, read_document(accounts_path))
    media_path = directory / "media.yaml"
    media: MediaFile = _parse(MediaFile, media_path, read_document(media_path)) if media_path.exists() else MediaFile()
    tenants_path = directory / "tenants.yaml"
    tenants: TenantsFile = (
        _parse(TenantsFile, tenants_path, read_document(tenants_path)) if tenants_path.exists() else TenantsFile()
    )
    oauth_path = directory / "oauth.yaml"
    oauth: OAuthFile = _parse(OAuthFile, oauth_path, read_document(oauth_path)) if oauth_path.exists() else OAuthFile()
    audience_path = directory / "audience.yaml"
    audience: AudienceFile = (
        _parse(AudienceFile, audience_path, read_document(audience_path)) if audience_path.exists() else AudienceFile()
    )
    _unique(accounts_path, "accounts", [a.id for a in accounts.accounts])
    _unique(media_path, "media", [m.id for m in media.media])
    _unique(tenants_path, "tenants", [t.api_key for t in tenants.tenants])
    _unique(oauth_path, "redirect_uris", [u.uri for u in oauth.redirect_uris])
    _unique(oauth_path, "logins", [x.login_id for x in oauth.logins])
    baseline = Baseline(
        accounts=tuple(_account(accounts.brand_id, a) for a in accounts.accounts),
        media=tuple(SeedMedia(**m.model_dump()) for m in media.media),
        plan=_plan(tenants.default_plan),
        **_account_side(accounts_path, accounts),
        redirect_uris=tuple((u.uri, u.label) for u in oauth.redirect_uris),
        byok_platforms=frozenset(oauth.byok_platforms),
        logins=tuple(x.login(oauth_path, i) for i, x in enumerate(oauth.logins)),
        duplicate_check=tenants.default_plan.duplicate_check,
        audience=audience.rates(),
    )
    return FixtureSet(
        baseline,
        {t.api_key: _plan(t) for t in tenants.tenants},
        {t.api_key: t.duplicate_check for t in tenants.tenants},
    )


_ACCOUNT_SIDE = {"brand_id", "pages", "boards", "creator_info", "daily_post_limit", "external_posts"}


def _account(default_brand: str, fixture: AccountFixture) -> Account:
    fields = fixture.model_dump(exclude=_ACCOUNT_SIDE)
    return Account(brand_id=fixture.brand_id or default_brand, **fields)


def _account_side(path: Path, file: AccountsFile) -> dict[str, Any]:
    """Brands, pages, boards, creator info and limits of the accounts file, checked against each other."""
    brands = [SeedBrand(b.id, b.name) for b in file.brands]
    if file.brand_id not in {b.id for b in brands}:
        brands.insert(0, SeedBrand(file.brand_id, "Default"))
    _unique(path, "brands", [b.id for b in brands])
    known = {b.id for b in brands}
    pages: list[AccountPage] = []
    boards: list[Board] = []
    creators: dict[str, CreatorInfo] = {}
    limits: dict[str, int] = {}
    external: list[ExternalPost] = []
    for index, a in enumerate(file.accounts):
        where = f"{path}: accounts[{index}]"
        if a.brand_id is not None and a.brand_id not in known:
            raise FixtureError(f"{where}.brand_id: brand {a.brand_id} is not in brands")
        own_pages = [AccountPage(account_id=a.id, **p.model_dump()) for p in a.pages]
        if not own_pages and a.page_id is not None:
            # The older single-page shape: page_id and page_name on the account.
            own_pages = [AccountPage(a.page_id, a.id, a.page_name or a.name, a.platform_user_id, is_default=True)]
        if own_pages and a.platform not in PAGE_PLATFORMS:
            raise FixtureError(f"{where}.pages: {a.platform} accounts have no pages")
        if sum(p.is_default for p in own_pages) > 1:
            raise FixtureError(f"{where}.pages: at most one page may be the default")
        if a.boards and a.platform not in BOARD_PLATFORMS:
            raise FixtureError(f"{where}.boards: only Pinterest accounts have boards")
        if a.creator_info is not None:
            if a.platform not in CREATOR_INFO_PLATFORMS:
                raise FixtureError(f"{where}.creator_info: only TikTok accounts have creator info")
            info = a.creator_info.model_dump()
            info["privacy_level_options"] = tuple(info["privacy_level_options"])
            creators[a.id] = CreatorInfo(**info)
        if a.daily_post_limit is not None:
            limits[a.id] = a.daily_post_limit
        pages.extend(own_pages)
        boards.extend(Board(account_id=a.id, **b.model_dump()) for b in a.boards)
        for number, post in enumerate(a.external_posts):
            if post.settings is not None and a.platform != "instagram":
                raise FixtureError(f"{where}.external_posts[{number}].settings: only Instagram reports settings")
            settings = post.settings.model_dump(exclude_none=True) if post.settings is not None else None
            external.append(
                ExternalPost(
                    a.id,
                    post.platform_post_id,
                    post.text,
                    post.published_at,
                    tuple(m.type for m in post.media),
                    frozenset(i for i, m in enumerate(post.media) if m.withheld),
                    settings or None,
                )
            )
    _unique(path, "pages", [p.id for p in pages])
    _unique(path, "boards", [b.id for b in boards])
    return {
        "brands": tuple(brands),
        "pages": tuple(pages),
        "boards": tuple(boards),
        "creator_info": creators,
        "daily_limits": limits,
        "external_posts": tuple(external),
    }


def _plan(fixture: PlanFixture) -> Plan:
    limit = fixture.posts_limit
    if fixture.plan == "free" and limit < 0:
        limit = 10
    return Plan(fixture.plan, limit if fixture.plan == "free" else -1, fixture.posts_used)


def _unique(path: Path, name: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            raise FixtureError(f"{path}: {name}[{index}]: duplicate id {ident}")
        seen.add(ident)
