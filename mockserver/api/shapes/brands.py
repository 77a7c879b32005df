"""Brands: ``/v1/brands``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from mockserver.api.shapes.common import Out, Request
from mockserver.core.accounts.brands import NAME_LIMIT
from mockserver.core.records.accounts import Brand
from mockserver.core.timefmt import format_instant


class BrandRequest(Request):
    """``POST /v1/brands`` and ``PATCH /v1/brands/{brand_id}``: the brand's name (names need not be unique)."""

    name: Annotated[str, Field(max_length=NAME_LIMIT * 4)]


class BrandOut(Out):
    id: str
    name: str
    accounts_count: int
    created_at: str
    updated_at: str

    @staticmethod
    def of(brand: Brand, accounts_count: int) -> BrandOut:
        return BrandOut.build(
            {
                "id": brand.id,
                "name": brand.name,
                "accounts_count": accounts_count,
                "created_at": format_instant(brand.created_at),
                "updated_at": format_instant(brand.updated_at),
            }
        )


class BrandListOut(Out):
    data: list[BrandOut]
    count: int

    @staticmethod
    def of(brands: list[tuple[Brand, int]]) -> BrandListOut:
        return BrandListOut.build({"data": [BrandOut.of(b, n) for b, n in brands], "count": len(brands)})
