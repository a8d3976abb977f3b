"""Organizations (§5): tenant-level; PUT without `parentId` drops the parent (§6.1)."""

from __future__ import annotations

from typing import Any

from ..validation import F
from . import enums as E
from .base import Collection, Ctx, Route, exists_in_scope, referencing
from .paging import paged, paging

ORGANIZATION = {
    "name": F("string", required=True),
    "tenantId": F("string"),
    "parentId": F("string"),
    "externalId": F("string"),
    "types": F("array", items=F("string", enum=E.ORGANIZATION_TYPES)),
    "currency": F("string", enum=E.CURRENCIES),
    "emailAddress": F("string", format="email"),
    "billingEmail": F("string", format="email"),
    "phoneNumber": F("string"),
    "billingPhoneNumber": F("string"),
    "address1": F("string"),
    "address2": F("string"),
    "city": F("string"),
    "state": F("string"),
    "postalCode": F("string"),
    "country": F("string"),
    "url": F("string"),
    "logo": F("string"),
    "metadata": F("string"),
    "domainAliases": F("array", items=F("string")),
    "remittanceInstructions": F("string"),
    "elementDefinitionAutoDiscoveryEnabled": F("boolean"),
    "sourceAutoDiscoveryEnabled": F("boolean"),
}


def clean_metadata(text: str) -> str:
    """`k=v,k=v`; malformed pieces (no `=`, empty key) are dropped silently (§6.1)."""
    pieces = [p.strip() for p in text.split(",")]
    kept = [p for p in pieces if "=" in p and p.partition("=")[0].strip()]
    return ",".join(kept)


class Organizations(Collection):
    kind = "org"
    segment = "organizations"
    embedded = "organizationResourceList"
    resource_type = "organization"
    title = "Organization"
    scope = "tenant"
    specs = ORGANIZATION
    flat_refs = {"parentId": ("parent", "org")}
    blocks_delete_of = {"org": ("parentId",)}
    noun = "child organization"

    def routes(self) -> list[Route]:
        children = Route(
            "GET", self.segment + "/parent/{parentId}", lambda c, p, b: self.children(c, p)
        )
        return [children, *super().routes()]

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        if existing is None and obj.get("metadata") is None:
            errors["metadata"] = "must not be null"  # §6.1: create needs it, "" will do
        parent = obj.get("parentId")
        if parent is None:
            return
        if existing is not None and parent == existing["id"]:
            errors["parentId"] = "an organization cannot be its own parent"
            return
        if not exists_in_scope(ctx, "org", parent):
            errors["parentId"] = f"Organization with id {parent} not found"
            return
        if existing is not None:
            seen = {existing["id"]}
            cursor = parent
            while cursor is not None:
                if cursor in seen:
                    errors["parentId"] = "parent chain would form a cycle"
                    return
                seen.add(cursor)
                found = ctx.store.get("org", cursor)
                cursor = found[1].get("parentId") if found else None

    def server_fields(self, ctx: Ctx, obj: dict, existing: dict | None) -> None:
        """§6.1: a PUT keeps the stored metadata unless it sends a non-empty string."""
        metadata = obj.get("metadata")
        if existing is not None and not metadata:
            metadata = existing.get("metadata")
        obj["metadata"] = clean_metadata(metadata) if metadata else metadata
        if not obj.get("types"):
            obj["types"] = ["CONSUMER"]

    def children(self, ctx: Ctx, params: dict[str, str]) -> tuple[int, Any]:
        parent = self.load(ctx, params["parentId"])
        page, size = paging(ctx.params)
        kids = referencing(ctx, "org", lambda o: o.get("parentId") == parent["id"])
        items = [self.render(ctx, o) for o in kids[page * size : (page + 1) * size]]
        return 200, paged(ctx, self.embedded, items, page, size, len(kids))

    def render(self, ctx: Ctx, obj: dict) -> dict[str, Any]:
        out = super().render(ctx, obj)
        out["callCountElementDefinition"] = None
        return out


COLLECTIONS = (Organizations,)
