"""Sources (revenium-api-more.md §1): the catalog entries products are built on.

Written with flat ids (`meteringElementDefinitionIds`, `ownerId`), read with nested objects
(`meteringElementDefinitions[]`, `owner`, `products[]` back-references). A PUT replaces the
object, except `metadata`: sent keys are merged, `""` clears them all, null keeps them.
Only the types API, STREAM and AI are accepted; lower-case enum values are refused.
"""

from __future__ import annotations

from typing import Any

from ..validation import F
from .base import Collection, Ctx, exists_in_scope, owner_ref, ref
from .listing import prefetch_refs

TYPES = ("API", "STREAM", "AI")  # of the 12 in the OpenAPI enum, the backend takes these
SOURCE_TYPES = (
    "UNKNOWN",
    "AI",
    "SDK_PYTHON",
    "SDK_JS",
    "SDK_JVM",
    "SDK_SPRING",
    "SDK_DOTNET",
    "SDK_GOLANG",
    "SDK_RUST",
    "EBPF",
    "AWS",
    "AZURE",
    "SNOWFLAKE",
    "GRAVITEE",
    "MULESOFT",
    "BOOMI",
    "REVENIUM",
    "INTERNAL",
)
ASSET_USAGE_IDENTIFIERS = ("CUSTOM_ID", "API_ENDPOINT", "REVENIUM_ID")
CLASSIFICATION = {
    name: F("string") for name in ("beginsWith", "contains", "endsWith", "equalsTo", "regex")
}
SOURCE = {
    "name": F("string", required=True),
    "type": F("string", required=True, enum=TYPES),
    "version": F("string", required=True),
    "ownerId": F("string", required=True),
    "teamId": F("string"),
    "description": F("string"),
    "externalId": F("string"),
    "externalUsagePlanId": F("string"),
    "resource": F("string"),
    "method": F("string"),
    "devPortalLink": F("string"),
    "logoURL": F("string"),
    "metadata": F("string"),
    "tags": F("array", items=F("string")),
    "autoDiscoveryEnabled": F("boolean"),
    "assetUsageIdentifier": F("string", enum=ASSET_USAGE_IDENTIFIERS),
    "sourceType": F("string", enum=SOURCE_TYPES),
    "sourceClassifications": F("array", items=F("object", fields=CLASSIFICATION)),
    "meteringElementDefinitionIds": F("array", items=F("string")),
    "contractIds": F("array", items=F("string")),
}


class Sources(Collection):
    kind = "source"
    segment = "sources"
    embedded = "sourceResourceList"
    resource_type = "source"
    title = "Source"
    noun = "source"
    specs = SOURCE
    flat_ref_lists = {"meteringElementDefinitionIds": ("meteringElementDefinitions", "element")}
    blocks_delete_of = {"element": ("meteringElementDefinitionIds",)}

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        owner = obj.get("ownerId")
        if owner is not None and owner != ctx.account.owner_id:
            errors["ownerId"] = f"User with id {owner} not found"
        for i, ident in enumerate(obj.get("meteringElementDefinitionIds") or []):
            if not exists_in_scope(ctx, "element", ident):
                errors[f"meteringElementDefinitionIds[{i}]"] = (
                    f"Couldn't find ElementDefinition with ID: {ident}"
                )
        for i, ident in enumerate(obj.get("contractIds") or []):
            errors[f"contractIds[{i}]"] = f"Contract with id {ident} not found"

    def server_fields(self, ctx: Ctx, obj: dict, existing: dict | None) -> None:
        obj["metadata"] = merged_metadata(obj.get("metadata"), (existing or {}).get("metadata"))
        obj["meteringId"] = existing["meteringId"] if existing else ctx.ids.new()

    def render(self, ctx: Ctx, obj: dict) -> dict[str, Any]:
        out = super().render(ctx, obj)
        out["owner"] = owner_ref(ctx, out.pop("ownerId", None))
        out.pop("contractIds", None)
        out["contracts"] = []
        out["products"] = [ref(ctx, "product", i) for i in self._products_using(ctx, obj["id"])]
        return out

    def _products_using(self, ctx: Ctx, ident: str) -> list[str]:
        ctx.depends_on("kind:product")  # any product written may start or stop naming it
        if ("products-using", ident) in ctx.prefetched:
            return ctx.prefetched[("products-using", ident)]
        products = ctx.collection("product")
        return [
            p["id"]
            for p in ctx.store.all("product", products.read_scopes(ctx))
            if ident in (p.get("sourceIds") or [])
        ]

    def prefetch(self, ctx: Ctx, objs: list[dict]) -> None:
        """Also the products that name each source: every product read once per page."""
        super().prefetch(ctx, objs)
        using: dict[str, list[str]] = {o["id"]: [] for o in objs}
        products = ctx.collection("product")
        for product in ctx.store.all("product", products.read_scopes(ctx)):
            for ident in set(product.get("sourceIds") or []) & using.keys():
                using[ident].append(product["id"])
        for ident, users in using.items():
            ctx.prefetched[("products-using", ident)] = users
        prefetch_refs(ctx, "product", {i for users in using.values() for i in users})


def merged_metadata(sent: str | None, stored: str | None) -> str | None:
    """`k=v,k=v`: sent keys are merged into the stored ones; "" clears; null keeps."""
    if sent is None:
        return stored
    if sent == "":
        return None
    pairs = dict(_pairs(stored or ""))
    pairs.update(_pairs(sent))
    return ",".join(f"{k}={v}" for k, v in pairs.items()) or None


def _pairs(text: str) -> list[tuple[str, str]]:
    out = []
    for piece in text.split(","):
        key, sep, value = piece.partition("=")
        if sep and key.strip():  # malformed pieces are dropped silently
            out.append((key.strip(), value.strip()))
    return out


COLLECTIONS = (Sources,)
