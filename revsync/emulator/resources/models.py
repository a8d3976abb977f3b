"""AI models and pricing dimensions (§6): GLOBAL catalog, CUSTOM models, clone, PATCH."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, bad_request, forbidden
from ..ids import IdGenerator
from ..store import Store
from ..validation import F, check
from . import enums as E
from .base import Collection, Ctx, Route, missing_param, new_id, require_object, team_ref
from .catalog import GLOBAL_MODELS

GLOBAL = "GLOBAL"
PRICE_FIELDS = (
    "inputCostPerToken",
    "outputCostPerToken",
    "cacheCreationCostPerInputToken",
    "cacheCreation1hrCostPerInputToken",
    "cacheReadCostPerInputToken",
)
CAPABILITIES = (
    "supportFunctionCalling",
    "supportsParallelFunctionCalling",
    "supportsPromptCaching",
    "supportsResponseSchema",
    "supportsSystemMessages",
    "supportsToolChoice",
    "supportsVision",
    "supportsWebSearch",
)
MODEL = {
    "name": F("string", required=True),
    "provider": F("string", required=True, enum=E.PROVIDERS),
    "inputCostPerToken": F("decimal", required=True, minimum=0),
    "outputCostPerToken": F("decimal", required=True, minimum=0),
    "mode": F("string"),
    "cacheCreationCostPerInputToken": F("decimal", minimum=0),
    "cacheCreation1hrCostPerInputToken": F("decimal", minimum=0),
    "cacheReadCostPerInputToken": F("decimal", minimum=0),
    "teamId": F("string"),
    **{flag: F("boolean") for flag in CAPABILITIES},
}
DIMENSION = {
    "billingUnit": F("string", required=True, enum=E.BILLING_UNITS),
    "modality": F("string", required=True, enum=E.MODALITIES),
    "costType": F("string", required=True, enum=E.COST_TYPES),
    "unitPrice": F("decimal", required=True, minimum=0),
    "direction": F("string", enum=E.DIRECTIONS),
    "operationSubtype": F("string"),
    "attributes": F("string"),
    "tenantCreditRate": F("decimal", minimum=0),
}


class Models(Collection):
    kind = "model"
    segment = "sources/ai/models"
    embedded = "aIModelResourceList"
    resource_type = "ai_model_metadata"
    title = "AI Model"
    noun = "AI model"
    specs = MODEL

    def routes(self) -> list[Route]:
        s = self.segment
        return [
            Route("GET", s + "/providers", lambda c, p, b: self.providers(c)),
            Route("GET", s + "/name/{name}", lambda c, p, b: self.by_name(c, p["name"])),
            *super().routes(),
            Route("PATCH", s + "/{id}", lambda c, p, b: self.patch(c, p["id"], b)),
            Route("POST", s + "/{id}/clone", lambda c, p, b: self.clone(c, p["id"], b)),
            Route("GET", s + "/{id}/pricing", lambda c, p, b: self.pricing(c, p["id"])),
            Route(
                "POST",
                s + "/{id}/pricing/dimensions",
                lambda c, p, b: self.add_dimension(c, p["id"], b),
            ),
            Route(
                "PUT",
                s + "/{id}/pricing/dimensions",
                lambda c, p, b: self.save_dimensions(c, p["id"], b),
            ),
            Route(
                "PUT",
                s + "/{id}/pricing/dimensions/{dim}",
                lambda c, p, b: self.replace_dimension(c, p["id"], p["dim"], b),
            ),
            Route(
                "DELETE",
                s + "/{id}/pricing/dimensions/{dim}",
                lambda c, p, b: self.delete_dimension(c, p["id"], p["dim"]),
            ),
        ]

    # scope: a team sees the GLOBAL catalog and its own CUSTOM models ----------------------
    def read_scopes(self, ctx: Ctx) -> tuple[str, ...]:
        model_type = (ctx.params.get("modelType") or "").upper()
        if model_type == GLOBAL:
            return (GLOBAL,)
        if model_type == "CUSTOM":
            return (ctx.account.team_id,)
        return (GLOBAL, ctx.account.team_id)

    def load(self, ctx: Ctx, ident: str) -> dict[str, Any]:
        saved = ctx.params.pop("modelType", None)
        try:
            return super().load(ctx, ident)
        finally:
            if saved is not None:
                ctx.params["modelType"] = saved

    def is_global(self, ctx: Ctx, obj: dict) -> bool:
        return ctx.store.scope_of(self.kind, obj["id"]) == GLOBAL

    def has_filters(self, ctx: Ctx) -> bool:
        return any(ctx.params.get(k) for k in ("query", "provider", "mode"))

    def matches(self, ctx: Ctx, obj: dict) -> bool:
        query = ctx.params.get("query")
        if query:
            exact = (ctx.params.get("exactMatch") or "").lower() == "true"
            name = obj["name"].lower()
            if (exact and name != query.lower()) or (not exact and query.lower() not in name):
                return False
        provider = ctx.params.get("provider")
        if provider and obj["provider"].upper() != provider.upper():
            return False
        mode = ctx.params.get("mode")
        return not mode or (obj.get("mode") or "").lower() == mode.lower()

    def seed(self, store: Store, ids: IdGenerator) -> None:
        seed_catalog(store, ids)

    # writes ---------------------------------------------------------------------------
    def server_fields(self, ctx: Ctx, obj: dict, existing: dict | None) -> None:
        obj.setdefault("pricingDimensions", [])
        obj["priceOverridden"] = False
        obj["priceOverrideReason"] = None

    def replace(self, ctx: Ctx, ident: str, body: Any) -> tuple[int, Any]:
        raise ApiError(
            405,
            "Update an AI Model is not supported; use PATCH to change pricing",
        )

    def delete(self, ctx: Ctx, ident: str) -> tuple[int, Any]:
        obj = self.load(ctx, ident)
        if self.is_global(ctx, obj):
            raise forbidden("Global AI models cannot be deleted")
        return super().delete(ctx, ident)

    def _team_param(self, ctx: Ctx) -> None:
        if ctx.params.get("teamId") is None:
            raise missing_param("teamId")
        self.check_team_param(ctx, required=True)

    def _writable(self, ctx: Ctx, ident: str) -> dict[str, Any]:
        self._team_param(ctx)
        obj = self.load(ctx, ident)
        if self.is_global(ctx, obj):
            raise forbidden(
                "Global AI models cannot be modified; clone the model to price it for your team"
            )
        return obj

    def patch(self, ctx: Ctx, ident: str, body: Any) -> tuple[int, Any]:
        obj = self._writable(ctx, ident)
        prices = self._prices(require_object(body))
        obj.update({k: v for k, v in prices.items() if v is not None})
        obj["updated"] = ctx.now
        ctx.store.update(self.kind, obj, obj["name"])
        return 200, self.render(ctx, obj)

    def _prices(self, body: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        clean = check({k: F("decimal", minimum=0) for k in PRICE_FIELDS}, body, errors)
        if errors:
            raise bad_request(errors)
        return clean

    def clone(self, ctx: Ctx, ident: str, body: Any) -> tuple[int, Any]:
        self._team_param(ctx)
        source = self.load(ctx, ident)
        if not self.is_global(ctx, source):
            raise ApiError(400, "Only GLOBAL models can be cloned", {"id": "not a GLOBAL model"})
        prices = self._prices(require_object(body if body is not None else {}))
        obj = {k: v for k, v in source.items() if k not in ("id", "created", "updated")}
        obj.update({k: v for k, v in prices.items() if v is not None})
        obj["pricingDimensions"] = [
            {**dim, "id": ctx.ids.new(), "isGlobal": False}
            for dim in source.get("pricingDimensions") or []
        ]
        obj["id"] = new_id(ctx)
        obj["created"] = obj["updated"] = ctx.now
        obj["priceOverridden"] = False
        ctx.store.insert(self.kind, ctx.account.team_id, obj, obj["name"])
        return 200, self.render(ctx, obj)

    # pricing dimensions ---------------------------------------------------------------
    def pricing(self, ctx: Ctx, ident: str) -> tuple[int, Any]:
        obj = self.load(ctx, ident)
        return 200, {"dimensions": obj.get("pricingDimensions") or []}

    def _dimension(self, ctx: Ctx, body: Any, errors: dict[str, str], prefix: str = "") -> dict:
        if not isinstance(body, dict):
            errors[prefix or "body"] = "must be an object"
            return {}
        dim = check(DIMENSION, body, errors, prefix=prefix)
        if dim.get("tenantCreditRate") is not None and dim.get("billingUnit") != "CREDITS":
            errors[f"{prefix}tenantCreditRate"] = "only applies to billingUnit CREDITS"
        dim["isGlobal"] = False
        return dim

    def add_dimension(self, ctx: Ctx, ident: str, body: Any) -> tuple[int, Any]:
        obj = self._writable(ctx, ident)
        errors: dict[str, str] = {}
        dim = self._dimension(ctx, body, errors)
        if errors:
            raise bad_request(errors)
        dim["id"] = ctx.ids.new()
        obj["pricingDimensions"] = [*(obj.get("pricingDimensions") or []), dim]
        self._save(ctx, obj)
        return 200, dim

    def save_dimensions(self, ctx: Ctx, ident: str, body: Any) -> tuple[int, Any]:
        """Batch save: the body is the full set; dimensions not in it are deleted."""
        obj = self._writable(ctx, ident)
        if not isinstance(body, list):
            raise ApiError(400, "JSON parse error: expected a JSON array of pricing dimensions")
        errors: dict[str, str] = {}
        existing = {d["id"]: d for d in obj.get("pricingDimensions") or []}
        dims = []
        for i, raw in enumerate(body):
            dim = self._dimension(ctx, raw, errors, prefix=f"[{i}].")
            keep = raw.get("id") if isinstance(raw, dict) else None
            dim["id"] = keep if keep in existing else ctx.ids.new()
            dims.append(dim)
        if errors:
            raise bad_request(errors)
        obj["pricingDimensions"] = dims
        self._save(ctx, obj)
        return 200, {"dimensions": dims}

    def replace_dimension(self, ctx: Ctx, ident: str, dim_id: str, body: Any) -> tuple[int, Any]:
        obj = self._writable(ctx, ident)
        dims = obj.get("pricingDimensions") or []
        index = next((i for i, d in enumerate(dims) if d["id"] == dim_id), None)
        if index is None:
            raise ApiError(404, f"Pricing dimension with id {dim_id} not found")
        errors: dict[str, str] = {}
        dim = self._dimension(ctx, body, errors)
        if errors:
            raise bad_request(errors)
        dim["id"] = dim_id
        dims[index] = dim
        self._save(ctx, obj)
        return 200, dim

    def delete_dimension(self, ctx: Ctx, ident: str, dim_id: str) -> tuple[int, Any]:
        obj = self._writable(ctx, ident)
        dims = obj.get("pricingDimensions") or []
        kept = [d for d in dims if d["id"] != dim_id]
        if len(kept) == len(dims):
            raise ApiError(404, f"Pricing dimension with id {dim_id} not found")
        obj["pricingDimensions"] = kept
        self._save(ctx, obj)
        return 200, {"id": dim_id, "message": "Deleted", "resourceType": "pricing_dimension"}

    def _save(self, ctx: Ctx, obj: dict) -> None:
        obj["updated"] = ctx.now
        ctx.store.update(self.kind, obj, obj["name"])

    # reads ----------------------------------------------------------------------------
    def providers(self, ctx: Ctx) -> tuple[int, Any]:
        self.check_team_param(ctx, required=False)
        names = {o["provider"] for o in ctx.store.all(self.kind, self.read_scopes(ctx))}
        return 200, sorted(names)

    def by_name(self, ctx: Ctx, name: str) -> tuple[int, Any]:
        for obj in ctx.store.all(self.kind, self.read_scopes(ctx)):
            if obj["name"] == name:
                return 200, self.render(ctx, obj)
        raise ApiError(404, f"AI Model with name {name} not found")

    def render(self, ctx: Ctx, obj: dict) -> dict[str, Any]:
        out = super().render(ctx, obj)
        out["team"] = None if self.is_global(ctx, obj) else team_ref(ctx)
        return out


def seed_catalog(store: Store, ids: IdGenerator) -> None:
    """Load the GLOBAL catalog once per database."""
    if store.meta("catalog") == "seeded":
        return
    now = "2026-01-01T00:00:00.000Z"
    for name, provider, mode, price_in, price_out, cache_read in GLOBAL_MODELS:
        ident = ids.new()
        dims = [
            _global_dim(ids, "TEXT_TOKEN_INPUT", "INPUT", "input", price_in),
            _global_dim(ids, "TEXT_TOKEN_OUTPUT", "OUTPUT", "output", price_out),
        ]
        obj = {
            "id": ident,
            "name": name,
            "provider": provider,
            "mode": mode,
            "inputCostPerToken": price_in,
            "outputCostPerToken": price_out,
            "cacheReadCostPerInputToken": cache_read,
            "supportsSystemMessages": mode == "chat",
            "created": now,
            "updated": now,
            "pricingDimensions": dims,
            "priceOverridden": False,
            "priceOverrideReason": None,
        }
        store.insert("model", GLOBAL, obj, name)
    store.set_meta("catalog", "seeded")


def _global_dim(ids, cost_type: str, direction: str, subtype: str, price: float) -> dict:
    return {
        "id": ids.new(),
        "billingUnit": "PER_TOKEN",
        "modality": "TEXT",
        "costType": cost_type,
        "direction": direction,
        "operationSubtype": subtype,
        "unitPrice": price,
        "isGlobal": True,
    }


COLLECTIONS = (Models,)
