"""Fixture files: the accounts, media and plans every tenant starts with.

``fixtures/`` holds ``accounts.yaml``, ``media.yaml`` and ``tenants.yaml``; ``--fixtures DIR`` swaps
the whole directory. A bad file raises ``FixtureError`` naming the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mockserver.core.fields import field_path
from mockserver.core.models import PLATFORMS, Account
from mockserver.core.tenant import Baseline, Plan, SeedMedia

_ID_TAIL = r"[0-9A-HJKMNP-TV-Z]{26}"


class FixtureError(ValueError):
    """A fixture file is missing, unparseable or invalid; the message names the file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AccountFixture(_Strict):
    id: str = Field(pattern=rf"^acc_{_ID_TAIL}$")
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


class AccountsFile(_Strict):
    brand_id: str = Field(min_length=1)
    accounts: list[AccountFixture]


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


class TenantFixture(PlanFixture):
    api_key: str = Field(pattern=r"^sapi_key_[A-Za-z0-9_-]+$")


class TenantsFile(_Strict):
    default_plan: PlanFixture = PlanFixture()
    tenants: list[TenantFixture] = []


@dataclass(frozen=True, slots=True)
class FixtureSet:
    baseline: Baseline
    tenants: dict[str, Plan] = field(default_factory=dict)

    def baseline_for(self, api_key: str) -> Baseline:
        plan = self.tenants.get(api_key)
        if plan is None:
            return self.baseline
        return Baseline(self.baseline.accounts, self.baseline.media, plan)


def default_fixtures_dir() -> Path:
    here = Path(__file__).resolve()
    source_tree = here.parents[2] / "fixtures"
    return source_tree if source_tree.is_dir() else here.parents[1] / "_data" / "fixtures"


def read_document(path: Path) -> Any:
    """YAML or JSON (JSON is YAML) from ``path``; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FixtureError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        return yaml.safe_load(text)
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
    _unique(accounts_path, "accounts", [a.id for a in accounts.accounts])
    _unique(media_path, "media", [m.id for m in media.media])
    _unique(tenants_path, "tenants", [t.api_key for t in tenants.tenants])
    baseline = Baseline(
        accounts=tuple(Account(brand_id=accounts.brand_id, **a.model_dump()) for a in accounts.accounts),
        media=tuple(SeedMedia(**m.model_dump()) for m in media.media),
        plan=_plan(tenants.default_plan),
    )
    return FixtureSet(baseline, {t.api_key: _plan(t) for t in tenants.tenants})


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
