"""Metering element definitions, referenced by product plans (§2 refs)."""

from __future__ import annotations

from ..errors import conflict
from ..validation import F
from . import enums as E
from .base import Collection, Ctx, referencing


class MeteringElements(Collection):
    kind = "element"
    segment = "metering-element-definitions"
    embedded = "meteringElementDefinitionResourceList"
    resource_type = "metering_element_definition"
    title = "Metering element definition"
    specs = {
        "name": F("string", required=True),
        "type": F("string", required=True, enum=E.ELEMENT_DEFINITION_TYPES),
        "description": F("string"),
        "teamId": F("string"),
    }

    def before_delete(self, ctx: Ctx, obj: dict) -> None:
        ident = obj["id"]

        def uses(product: dict) -> bool:
            plan = product.get("plan") or {}
            items = (plan.get("elements") or []) + (plan.get("ratingAggregations") or [])
            return any(i.get("elementDefinitionId") == ident for i in items)

        products = referencing(ctx, "product", uses)
        if products:
            raise conflict(
                f"Metering element definition {ident} is used by {len(products)} product(s)"
            )
