"""Products with their plan (§2). PUT replaces; the server owns and bumps `version`."""

from __future__ import annotations

from typing import Any

from ..core.live import LiveObject
from ..core.refs import Ref
from ..core.steps import Step
from .base import Kind, KindContext

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
    defaults = {"paymentSource": "INVOICE_ONLY_NO_PAYMENT"}
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

    def update_steps(
        self, live: LiveObject, body: dict[str, Any], changed: set[str], ctx: KindContext
    ) -> list[Step]:
        """Whether a PUT without `sourceIds` unlinks the sources is unknown (§1): while the
        entry lists no sources, the live ones are sent unchanged (and not compared)."""
        if SOURCES.write not in body:
            body[SOURCES.write] = [s["id"] for s in live.raw.get("sources") or [] if s.get("id")]
            changed = changed - {SOURCES.field}
            if not changed:
                return []
        return super().update_steps(live, body, changed, ctx)


KIND = Products()
