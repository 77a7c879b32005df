"""Brands: the groups a tenant's connected accounts belong to.

A tenant starts with the fixture brands; ``POST /v1/brands`` adds one, and so does a connection flow
started without ``brand_id`` (as the real API auto-creates a brand then). Deleting a brand that still
has connected accounts is refused: the sources disagree on what would happen to them (cascade,
deactivate, disconnect), and a refusal can never surprise a user with lost accounts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from mockserver.core.accounts.base import AccountsBase
from mockserver.core.errors import BrandsLimitReached, Conflict, NotFound, ValidationFailed
from mockserver.core.reach import Reach
from mockserver.core.records.accounts import Brand

NAME_LIMIT = 255
# Brands a free plan may hold (paid plans are unlimited), as the dashboard's plan table says.
FREE_BRANDS = 2


def brand_uuid(hex32: str) -> str:
    """A version-4 UUID built from 32 hex digits of the tenant's seeded generator."""
    h = hex32
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"


def checked_name(name: str, field: str = "name") -> str:
    name = name.strip()
    if not name:
        raise ValidationFailed.required(field, "Invalid request body or missing name")
    if len(name) > NAME_LIMIT:
        raise ValidationFailed.invalid(field, f"name must be at most {NAME_LIMIT} characters")
    return name


class Brands(AccountsBase):
    def brand(self, brand_id: str) -> Brand:
        brand = self.state.accounts.brands.get(brand_id)
        if brand is None:
            raise NotFound.of("brand", brand_id)
        return brand

    def accounts_count(self, brand_id: str) -> int:
        return sum(
            1 for a in self.state.accounts.items.values() if a.brand_id == brand_id and a.status != "disconnected"
        )

    def list_brands_with_counts(self, *, reach: Reach | None = None) -> list[tuple[Brand, int]]:
        """Each brand with how many connected accounts it holds, counted in one pass: a brand list
        costs accounts + brands, not accounts x brands (12,000 connects, each with its own brand,
        took 3 s per list that way)."""
        with self.lock:
            counts = Counter(a.brand_id for a in self.state.accounts.items.values() if a.status != "disconnected")
            brands = self.state.accounts.brands.values()
            return [(b, counts[b.id]) for b in brands if reach is None or b.id in reach.brand_ids]

    def list_brands(self) -> list[Brand]:
        with self.lock:
            return list(self.state.accounts.brands.values())

    def create_brand(self, name: str) -> Brand:
        with self.lock:
            return self.new_brand(checked_name(name))

    def new_brand(self, name: str) -> Brand:
        if self.state.plan.is_free and len(self.state.accounts.brands) >= FREE_BRANDS:
            raise BrandsLimitReached(
                f"the free plan allows {FREE_BRANDS} brands; delete one or upgrade",
                meta={"plan": self.state.plan.name, "max": FREE_BRANDS},
            )
        now = self.clock.now()
        brand = Brand(brand_uuid(self.state.ids.hex(32)), name, now, now)
        self.state.accounts.brands[brand.id] = brand
        return brand

    def rename_brand(self, brand_id: str, name: str) -> Brand:
        with self.lock:
            brand = self.brand(brand_id)
            renamed = replace(brand, name=checked_name(name), updated_at=self.clock.now())
            self.state.accounts.brands[brand_id] = renamed
            return renamed

    def delete_brand(self, brand_id: str) -> None:
        with self.lock:
            self.brand(brand_id)
            remaining = self.accounts_count(brand_id)
            if remaining:
                raise Conflict(
                    f"brand {brand_id} still has {remaining} connected account(s); disconnect them first",
                    meta={"brand_id": brand_id, "accounts_count": remaining},
                )
            del self.state.accounts.brands[brand_id]
