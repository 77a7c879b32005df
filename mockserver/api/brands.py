"""Public API handlers for brands."""

from __future__ import annotations

from mockserver.api.http import Call, Reply
from mockserver.api.shapes.brands import BrandListOut, BrandOut, BrandRequest
from mockserver.api.spec import operation


@operation("List brands", responses={200: BrandListOut}, errors=(401,))
def list_brands(call: Call) -> Reply:
    backend = call.backend
    return Reply(BrandListOut.of(backend.accounts.list_brands_with_counts(reach=call.reach)))


@operation("Create a brand", request=BrandRequest, responses={201: BrandOut}, errors=(400, 401, 403))
def create_brand(call: Call) -> Reply:
    brand = call.backend.accounts.create_brand(call.parse(BrandRequest).name)
    return Reply(BrandOut.of(brand, 0), 201)


@operation("Rename a brand", request=BrandRequest, responses={200: BrandOut}, errors=(400, 401, 404))
def update_brand(call: Call) -> Reply:
    backend = call.backend
    brand = backend.accounts.rename_brand(call.params["brand_id"], call.parse(BrandRequest).name)
    return Reply(BrandOut.of(brand, backend.accounts.accounts_count(brand.id)))


@operation("Delete a brand (refused while it has connected accounts)", responses={204: None}, errors=(401, 404, 409))
def delete_brand(call: Call) -> Reply:
    call.backend.accounts.delete_brand(call.params["brand_id"])
    return Reply(status=204)
