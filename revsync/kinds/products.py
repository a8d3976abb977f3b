"""Products with their plan (§2). The server owns and bumps `version`.

PUT replaces the product, except `plan`: left out, the stored plan is kept; sent, the
plan's tiers are recreated (new ids, stricter checks) (revenium-api-more.md §6.1, §6.2).
So `plan` is sent only when it changed.
"""

from __future__ import annotations

from typing import Any

from ..core.desired import Entry
from ..core.live import LiveObject
from ..core.refs import Ref
from ..core.steps import Step
from .base import CLEAR_WITH_EMPTY_LIST, NO_WAY, Kind, KindContext, Unplannable

TIER_ORDER = ("startingFrom", "upTo", "name")
SOURCES = Ref(
    "sources", "sources", write="sourceIds", read="sources[].id", raw="sourceIds", many=True
)


class Products(Kind):
    name = "products"
    title = "product"
    schema_def = "product"
    api_path = "/v2/api/products"
    refs = (
        *(
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
        ),
        SOURCES,
    )
    body_scope = ("teamId", "ownerId")
    server_fields = frozenset({"environment", "sourceConfiguration"})
    nested_ids = (
        "plan",
        "plan.tiers[]",
        "plan.elements[]",
        "plan.ratingAggregations[]",
        "plan.ratingAggregations[].tiers[]",
        "plan.setupFees[]",
    )
    create_only = frozenset({"version"})
    # whether a PUT without `sourceIds` unlinks the sources is unknown: while the entry names
    # no sources (by name or id) the live links are not compared and are sent as they are
    kept_when_omitted = {"plan": NO_WAY, "sources": CLEAR_WITH_EMPTY_LIST}
    decimal_fields = (
        "plan.charge",
        "plan.tiers[].startingFrom",
        "plan.tiers[].upTo",
        "plan.tiers[].unitAmount",
        "plan.tiers[].flatAmount",
        "plan.elements[].unitAmount",
        "plan.elements[].flatAmount",
        "plan.ratingAggregations[].tiers[].startingFrom",
        "plan.ratingAggregations[].tiers[].upTo",
        "plan.ratingAggregations[].tiers[].unitAmount",
        "plan.ratingAggregations[].tiers[].flatAmount",
        "plan.setupFees[].flatAmount",
        "displayPriority",
        "tierQuotaNotificationThreshold",
    )
    # a tier with neither unitAmount nor upTo is refused by every PUT carrying the plan
    # (§6.2); no unit amount is a unit amount of 0, so revsync says so on both sides
    defaults = {
        "paymentSource": "INVOICE_ONLY_NO_PAYMENT",
        "plan.tiers[].unitAmount": 0,
        "plan.ratingAggregations[].tiers[].unitAmount": 0,
    }
    unordered = {
        "tags": None,
        "meteringModels": None,
        "notificationAddressesOnInvoice": None,
        "terms": ("order",),
        "plan.tiers": TIER_ORDER,
        "plan.elements": ("name",),
        "plan.ratingAggregations": ("name",),
        "plan.ratingAggregations[].tiers": TIER_ORDER,
        "plan.setupFees": ("name",),
    }

    def create_steps(self, entry: Entry, body: dict[str, Any], ctx: KindContext) -> list[Step]:
        if not body.get("plan"):
            raise Unplannable(
                "plan is required to create a product (only an existing product may leave "
                "it out, and then Revenium keeps the plan it has)"
            )
        return super().create_steps(entry, body, ctx)

    def update_steps(
        self, live: LiveObject, body: dict[str, Any], changed: set[str], ctx: KindContext
    ) -> list[Step]:
        if "plan" not in changed:
            body.pop("plan", None)  # a PUT without plan keeps it; with it, tiers are recreated
        if SOURCES.write not in body:
            body[SOURCES.write] = [s["id"] for s in live.raw.get("sources") or [] if s.get("id")]
        return super().update_steps(live, body, changed, ctx)


KIND = Products()
