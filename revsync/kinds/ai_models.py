"""AI models and their pricing (§6).

Revenium has no update for models: prices change with PATCH, pricing dimensions with a
batch save that replaces the whole set. A model that exists only in the GLOBAL catalog is
cloned into the team first. GLOBAL models are never modified or deleted.

A model's per-token prices and its `TEXT_TOKEN_INPUT` / `TEXT_TOKEN_OUTPUT` pricing
dimensions say the same thing twice; a clone takes the catalog's dimensions, so re-pricing
moves those two dimensions with the prices (`token_dimensions`).
"""

from __future__ import annotations

from typing import Any

from ..core.desired import Entry
from ..core.ids import quote_id
from ..core.live import Account, LiveObject
from ..core.location import plain
from ..core.problems import Problem
from ..core.steps import Lookup, Step
from . import token_dimensions as tokens
from .base import Kind, KindContext, NameIndex, Unplannable

PRICE_FIELDS = (
    "inputCostPerToken",
    "outputCostPerToken",
    "cacheCreationCostPerInputToken",
    "cacheCreation1hrCostPerInputToken",
    "cacheReadCostPerInputToken",
)
DIMENSIONS = "pricingDimensions"
DIMENSION_KEY = (
    "modality",
    "billingUnit",
    "costType",
    "direction",
    "operationSubtype",
    "attributes",
)


class AiModels(Kind):
    name = "aiModels"
    title = "AI model"
    schema_def = "aiModel"
    api_path = "/v2/api/sources/ai/models"
    key_fields = ("name", "provider")
    casefold_keys = ("provider",)
    server_fields = frozenset({"priceOverridden", "priceOverrideReason", "modelType"})
    nested_ids = ("pricingDimensions[]",)
    unordered = {DIMENSIONS: DIMENSION_KEY}
    merge_compare = True
    decimal_fields = (
        *PRICE_FIELDS,
        f"{DIMENSIONS}[].unitPrice",
        f"{DIMENSIONS}[].tenantCreditRate",
    )

    def read(self, lister: Any, account: Account) -> list[LiveObject]:
        base = self.read_params(account)
        custom = lister(self.api_path, {**base, "modelType": "CUSTOM"})
        catalog = lister(self.api_path, {**base, "modelType": "GLOBAL"})
        return [self.live_object(raw, True, "CUSTOM") for raw in custom] + [
            self.live_object(raw, False, "GLOBAL") for raw in catalog
        ]

    names_only_in_refs = True  # normalize_live only reshapes the answer before Kind's

    def normalize_live(self, raw: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        raw = {**raw, DIMENSIONS: plain(raw.get(DIMENSIONS) or [])}
        for dim in raw.get(DIMENSIONS) or []:
            if isinstance(dim, dict):
                dim.pop("isGlobal", None)
        return super().normalize_live(raw, names)

    def follow_live(self, desired: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
        """Without `pricingDimensions`, the token dimensions follow the per-token prices."""
        if DIMENSIONS in desired:
            return desired
        dims = tokens.follow(current.get(DIMENSIONS) or [], desired)
        return {**desired, DIMENSIONS: dims} if dims is not None else desired

    def check(self, entry: Entry) -> list[Problem]:
        problems = [
            Problem(message, entry.where(path), entry.address)
            for path, message in tokens.disagreements(entry.fields)
        ]
        if entry.fields.get("provider") == "CUSTOM":
            missing = tokens.missing_prices(entry.fields)
            if missing:
                problems.append(
                    Problem(
                        f"a CUSTOM provider model is never in the GLOBAL catalog, so revsync "
                        f"creates it, and that needs {' and '.join(missing)} (or "
                        "TEXT_TOKEN_INPUT/TEXT_TOKEN_OUTPUT pricing dimensions)",
                        entry.location,
                        entry.address,
                    )
                )
        seen: dict[tuple, int] = {}
        for i, dim in enumerate(entry.fields.get(DIMENSIONS) or []):
            if not isinstance(dim, dict):
                continue
            key = tuple(dim.get(f) for f in DIMENSION_KEY)
            if key in seen:
                problems.append(
                    Problem(
                        f"pricingDimensions[{i}] repeats pricingDimensions[{seen[key]}] "
                        f"(same {', '.join(DIMENSION_KEY)})",
                        entry.where((DIMENSIONS, i)),
                        entry.address,
                    )
                )
            seen.setdefault(key, i)
        return problems

    def lookup(self, entry: Entry, account: Account) -> Lookup:
        params = {**self.read_params(account), "modelType": "CUSTOM"}
        match = {"name": entry.key[0], "provider": entry.key[1]}
        return Lookup(self.api_path, params, match, self.casefold_keys)

    def lookup_id(self, ident: str, account: Account) -> Lookup:
        params = {**self.read_params(account), "modelType": "CUSTOM"}
        return Lookup(self.api_path, params, {"id": ident})

    def create_baseline(self, entry: Entry, ctx: KindContext) -> LiveObject | None:
        wanted = self.fold(entry.key)
        for live in ctx.live.get(self.name, []):
            if live.origin == "GLOBAL" and self.fold(live.key) == wanted:
                return live
        return None

    def create_steps(self, entry: Entry, body: dict[str, Any], ctx: KindContext) -> list[Step]:
        dims = body.pop(DIMENSIONS, None)
        source = self.create_baseline(entry, ctx)
        params = self.write_params(ctx.account)
        if dims is not None:
            for name, price in tokens.prices_from(dims).items():
                body.setdefault(name, price)
        if source is not None:
            self._clone_keeps(entry, source)
            prices = {k: body[k] for k in PRICE_FIELDS if body.get(k) is not None}
            if dims is None:
                dims = tokens.follow(tokens.writable(source.raw.get(DIMENSIONS)), prices)
            steps = [
                Step(
                    "POST",
                    f"{self.api_path}/{quote_id(source.id)}/clone",
                    params,
                    prices,
                    capture_id=True,
                    lookup=self.lookup(entry, ctx.account),
                    description=f"clone GLOBAL model {source.name}",
                )
            ]
        else:
            missing = [k for k in PRICE_FIELDS[:2] if body.get(k) is None]
            if missing:
                raise Unplannable(
                    f"no model {entry.name} exists in the GLOBAL catalog, so a custom model "
                    f"is created, and that needs {' and '.join(missing)}"
                )
            steps = super().create_steps(entry, body, ctx)
        if dims is not None:
            steps.append(self._save_dimensions(dims, ctx))
        return steps

    def _clone_keeps(self, entry: Entry, source: LiveObject) -> None:
        """A clone takes the GLOBAL model's other fields; they cannot be set differently."""
        differing = [
            f
            for f, v in entry.fields.items()
            if f not in (*PRICE_FIELDS, DIMENSIONS, "name", "provider", "id")
            and source.raw.get(f) != v
        ]
        if differing:
            raise Unplannable(
                f"{', '.join(sorted(differing))} cannot be set: the model is cloned from the "
                "GLOBAL catalog and Revenium has no update for models (only prices and "
                "pricing dimensions can change)"
            )

    def update_steps(
        self, live: LiveObject, body: dict[str, Any], changed: set[str], ctx: KindContext
    ) -> list[Step]:
        fixed = sorted(changed - set(PRICE_FIELDS) - {DIMENSIONS})
        if fixed:
            raise Unplannable(
                f"{', '.join(fixed)} cannot be changed: Revenium has no update for AI models "
                "(only prices via PATCH and pricing dimensions); change them in Revenium or "
                "delete the model and let revsync create it again"
            )
        steps = []
        prices = {k: body[k] for k in PRICE_FIELDS if k in changed and body.get(k) is not None}
        if prices:
            steps.append(
                Step(
                    "PATCH",
                    self.item_path(),
                    self.write_params(ctx.account),
                    prices,
                    description="price the model",
                )
            )
        if DIMENSIONS in changed:
            dims = body.get(DIMENSIONS)
            if dims is None:  # the manifest gives prices only: move the token dimensions
                dims = tokens.follow(tokens.writable(live.raw.get(DIMENSIONS)), body) or []
            steps.append(self._save_dimensions(dims, ctx))
        return steps

    def _save_dimensions(self, dims: list[dict[str, Any]], ctx: KindContext) -> Step:
        return Step(
            "PUT",
            f"{self.item_path()}/pricing/dimensions",
            self.write_params(ctx.account),
            dims,
            description="save the full set of pricing dimensions",
        )


KIND = AiModels()
