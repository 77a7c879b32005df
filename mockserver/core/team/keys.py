"""API keys: a tenant is a team, and every active key of the team opens it (docs/team.md).

The key that first opened a tenant is its first key; ``POST /v1/keys`` adds more. Their secrets are
``TenantState.keys`` (what authenticates) and the server's ``Shared.key_owners`` index (which tenant
a secret opens). Revoking or rotating takes a secret out of ``keys`` but leaves it in the index, so
the old secret answers 401 on its next request and never opens a new tenant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mockserver.core.accounts.brands import checked_name
from mockserver.core.errors import AuthFailed, NotFound, ValidationFailed
from mockserver.core.reach import Reach, check_reach, reach_of
from mockserver.core.records.team import ApiKey, uuid_of
from mockserver.core.team.scopes import SCOPE_NAMES, check_scope
from mockserver.core.tenancy import Area

SECRET_PREFIX = "sapi_key_"
SECRET_HEX = 62
STORE_SECURELY = "Store this key securely. It will not be shown again."
INVALID_KEY = "invalid or inactive API key"


class ApiKeys(Area):
    def list_keys(self) -> list[ApiKey]:
        """Every key the team made, oldest first; revoked keys stay listed with ``is_active`` false."""
        with self.lock:
            return [replace(key) for key in self.state.team.api_keys.values()]

    def create_key(
        self, name: str, *, scopes: Sequence[str] | None = None, brand_ids: Sequence[str] | None = None
    ) -> ApiKey:
        with self.lock:
            key = ApiKey(
                uuid_of(self.state.ids.hex(32)),
                checked_name(name),
                self._new_secret(),
                self.clock.now(),
                scopes=self._checked_scopes(scopes or ()),
                brand_ids=self._checked_brands(brand_ids or ()),
            )
            self.state.team.api_keys[key.id] = key
            return replace(key)

    def update_key(
        self,
        key_id: str,
        *,
        name: str | None = None,
        scopes: Sequence[str] | None = None,
        brand_ids: Sequence[str] | None = None,
    ) -> ApiKey:
        """Replace the name, scopes and brands given; the secret is unchanged."""
        with self.lock:
            key = self._active(key_id)
            if name is not None:
                key.name = checked_name(name)
            if scopes is not None:
                key.scopes = self._checked_scopes(scopes)
            if brand_ids is not None:
                key.brand_ids = self._checked_brands(brand_ids)
            return replace(key)

    def rotate_key(self, key_id: str) -> ApiKey:
        """A new secret for the key; the old one stops working at once."""
        with self.lock:
            key = self._active(key_id)
            self.state.keys.remove(key.secret)
            key.secret = self._new_secret()
            return replace(key)

    def revoke_key(self, key_id: str) -> None:
        """Irreversible. A key may revoke itself: its next request answers 401."""
        with self.lock:
            key = self._key(key_id)
            if key.is_active:
                key.is_active = False
                self.state.keys.remove(key.secret)

    def authorize(self, secret: str, method: str, path: str) -> Reach | None:
        """401 unless ``secret`` is an active key of this team, 403 unless it may call the route, 404
        when the route names what a brand-restricted key does not reach; its ``Reach`` (None: all)."""
        with self.lock:
            if secret not in self.state.keys:
                raise AuthFailed(INVALID_KEY)
            key = next((k for k in self.state.team.api_keys.values() if k.secret == secret), None)
            if key is None:
                # A secret the state file lists without its record (an older document): a full-access key.
                return None
            key.last_used_at = self.clock.now()
            check_scope(key, method, path)
            reach = reach_of(key.brand_ids)
            if reach is not None:
                check_reach(reach, path, self.state.accounts.items, self.state.posts)
            return reach

    def _key(self, key_id: str) -> ApiKey:
        key = self.state.team.api_keys.get(key_id)
        if key is None:
            raise NotFound.of("key", key_id)
        return key

    def _active(self, key_id: str) -> ApiKey:
        key = self._key(key_id)
        if not key.is_active:
            raise NotFound(f"key {key_id} was revoked", code="key.not_found", meta={"resource": "key", "id": key_id})
        return key

    def _new_secret(self) -> str:
        secret = SECRET_PREFIX + self.state.ids.hex(SECRET_HEX)
        self.state.keys.append(secret)
        self.tenant.shared.key_owners[secret] = self.tenant.name
        return secret

    def _checked_scopes(self, scopes: Sequence[str]) -> tuple[str, ...]:
        for index, scope in enumerate(scopes):
            if scope not in SCOPE_NAMES:
                raise ValidationFailed.invalid(
                    f"scopes[{index}]",
                    f"unknown scope {scope[:80]!r}; one of {', '.join(sorted(SCOPE_NAMES))}",
                    code="validation.scope_invalid",
                )
        return tuple(dict.fromkeys(scopes))

    def _checked_brands(self, brand_ids: Sequence[str]) -> tuple[str, ...]:
        for index, brand_id in enumerate(brand_ids):
            if brand_id not in self.state.accounts.brands:
                raise ValidationFailed.invalid(
                    f"brand_ids[{index}]", f"brand {brand_id[:80]} does not exist", code="validation.brand_invalid"
                )
        return tuple(dict.fromkeys(brand_ids))
