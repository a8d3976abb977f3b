"""Products with their plan (§2). PUT replaces; the server owns and bumps `version`."""

from __future__ import annotations

import copy
from typing import Any

from ..core.refs import Ref
from .base import Kind, NameIndex

TIER_ORDER = ("startingFrom", "upTo", "name")


class Products(Kind):
    name = "products"
    title = "product"
    schema_def = "product"
    api_path = "/v2/api/products"
    refs = tuple(
        Ref(
            "element",
            "meteringElements",
            write="elementDefinitionId",
            read="elementDefinitionId",
            raw="elementDefinitionId",
            container=f"plan.{items}[]",
            required=True,
        )
        for items in ("elements", "ratingAggregations")
    )
    body_scope = ("teamId", "ownerId")
    server_fields = frozenset({"sources", "environment", "sourceConfiguration"})
    nested_ids = (
        "plan",
        "plan.tiers[]",
        "plan.elements[]",
        "plan.ratingAggregations[]",
        "plan.ratingAggregations[].tiers[]",
        "plan.setupFees[]",
    )
    create_only = frozenset({"version"})
    defaults = {"paymentSource": "INVOICE_ONLY_NO_PAYMENT"}
    unordered = {
        "tags": None,
        "meteringModels": None,
        "notificationAddressesOnInvoice": None,
        "sourceIds": None,
        "terms": ("order",),
        "plan.tiers": TIER_ORDER,
        "plan.elements": ("name",),
        "plan.ratingAggregations": ("name",),
        "plan.ratingAggregations[].tiers": TIER_ORDER,
        "plan.setupFees": ("name",),
    }

    def normalize_live(self, raw: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        raw = copy.copy(raw)
        sources = raw.get("sources") or []
        raw["sourceIds"] = [s.get("id") for s in sources if isinstance(s, dict)]
        return super().normalize_live(raw, names)


KIND = Products()
