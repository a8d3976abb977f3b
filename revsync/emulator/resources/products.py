"""Products with their pricing plan (§2). PUT bumps `version`, keeps an omitted plan."""

from __future__ import annotations

from typing import Any

from ..validation import F
from . import enums as E
from .base import Collection, Ctx, exists_in_scope, owner_ref, ref

TIER = {
    "name": F("string", required=True),
    "startingFrom": F("number"),
    "upTo": F("number"),
    "unitAmount": F("decimal"),
    "flatAmount": F("decimal"),
}
PLAN = {
    "name": F("string", required=True),
    "type": F("string", required=True, enum=E.PLAN_TYPES),
    "currency": F("string", required=True, enum=E.CURRENCIES),
    "charge": F("decimal", minimum=0),
    "period": F("string", enum=E.PERIODS),
    "periodCount": F("integer", minimum=1),
    "trialPeriod": F("string", enum=E.PERIODS),
    "trialPeriodCount": F("integer", minimum=0),
    "prePayAllFlatRates": F("boolean"),
    "graduated": F("boolean"),
    "tiers": F("array", items=F("object", fields=TIER)),
    "elements": F(
        "array",
        items=F(
            "object",
            fields={
                "name": F("string", required=True),
                "type": F("string", required=True, enum=E.ELEMENT_TYPES),
                "elementDefinitionId": F("string", required=True),
                "unitAmount": F("decimal"),
                "flatAmount": F("decimal"),
                "distinctValue": F("string"),
            },
        ),
    ),
    "ratingAggregations": F(
        "array",
        items=F(
            "object",
            fields={
                "name": F("string", required=True),
                "aggregationType": F("string", required=True, enum=E.AGGREGATION_TYPES),
                "elementDefinitionId": F("string", required=True),
                "graduated": F("boolean"),
                "distinctValue": F("string"),
                "tiers": F("array", items=F("object", fields=TIER)),
            },
        ),
    ),
    "setupFees": F(
        "array",
        items=F(
            "object",
            fields={
                "name": F("string", required=True),
                "type": F("string", required=True, enum=E.SETUP_FEE_TYPES),
                "flatAmount": F("decimal"),
            },
        ),
    ),
}
PRODUCT = {
    "name": F("string", required=True),
    "version": F("string"),
    "plan": F("object", fields=PLAN),  # required on create; a PUT without it keeps it
    "ownerId": F("string"),
    "teamId": F("string"),
    "description": F("string"),
    "descriptionAsHTML": F("string"),
    "shortDescription": F("string"),
    "shortDescriptionAsHTML": F("string"),
    "pricingDescription": F("string"),
    "pricingDescriptionAsHTML": F("string"),
    "code": F("string"),
    "externalId": F("string"),
    "externalLabel": F("string"),
    "portalId": F("string"),
    "portalLabel": F("string"),
    "published": F("boolean"),
    "preview": F("boolean"),
    "comingSoon": F("boolean"),
    "comingSoonText": F("string"),
    "displayPriority": F("number"),
    "tags": F("array", items=F("string")),
    "meteringModels": F("array", items=F("string", enum=E.METERING_MODELS)),
    "audienceRestriction": F("string", enum=E.AUDIENCES),
    "paymentSource": F("string", enum=E.PAYMENT_SOURCES),
    "paymentConfigurationId": F("string"),
    "notifyClientOnInvoice": F("boolean"),
    "notifyClientTrialAboutToExpire": F("boolean"),
    "notificationAddressesOnInvoice": F("array", items=F("string", format="email")),
    "tierQuotaNotificationThreshold": F("decimal"),
    "invoiceManagement": F(
        "object",
        fields={
            "numberOfResends": F("integer", required=True),
            "resendPeriod": F("any", required=True),
            "resendPeriodCount": F("integer", required=True),
        },
    ),
    "performanceDefinition": F(
        "object",
        fields={
            "name": F("string", required=True),
            "description": F("string", required=True),
            "maxRequests": F("integer", required=True),
            "timePeriod": F("integer", required=True),
            "timeUnit": F("string", required=True, enum=E.TIME_UNITS),
        },
    ),
    "terms": F(
        "array",
        items=F(
            "object",
            fields={
                "link": F("string", required=True),
                "order": F("integer", required=True),
                "terms": F("string", required=True),
            },
        ),
    ),
    "sourceIds": F("array", items=F("string")),
    "environmentId": F("string"),
    "sourceConfigurationId": F("string"),
    "apimConfigurationId": F("string"),
    "apimGroupId": F("string"),
    "syncedToGateway": F("boolean"),
    "logo": F("string"),
    "logoByteArray": F("string"),
}
PLAN_CHILD_LISTS = ("tiers", "elements", "ratingAggregations", "setupFees")


def refuse_open_tiers(plan: dict[str, Any], errors: dict[str, str]) -> None:
    """§6.2: a PUT carrying a plan refuses a tier with neither `unitAmount` nor `upTo`."""
    places = [("plan.tiers", plan.get("tiers"))]
    for i, agg in enumerate(plan.get("ratingAggregations") or []):
        places.append((f"plan.ratingAggregations[{i}].tiers", agg.get("tiers")))
    for path, tiers in places:
        for i, tier in enumerate(tiers or []):
            if tier.get("unitAmount") is None and tier.get("upTo") is None:
                errors[f"{path}[{i}]"] = (
                    f"Tier '{tier.get('name')}' must define a unitAmount or an upTo"
                )


def bump(version: str | None) -> str:
    parts = (version or "1.0.0").split(".")
    try:
        parts[-1] = str(int(parts[-1]) + 1)
    except ValueError:
        parts.append("1")
    return ".".join(parts)


class Products(Collection):
    kind = "product"
    segment = "products"
    embedded = "productResourceList"
    resource_type = "product"
    title = "Product"
    specs = PRODUCT
    blocks_delete_of = {
        "element": (
            "plan.elements.elementDefinitionId",
            "plan.ratingAggregations.elementDefinitionId",
        ),
        "source": ("sourceIds",),  # §1: delete blockers unknown; the strict choice
    }
    noun = "product"

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        if existing is not None and not obj.get("paymentSource"):
            errors["paymentSource"] = "must not be null"
        if existing is not None and not obj.get("version"):
            errors["version"] = "must not be null"
        if existing is None and obj.get("plan") is None:
            errors["plan"] = "must not be null"
        elif existing is not None and obj.get("plan") is not None:
            refuse_open_tiers(obj["plan"], errors)
        owner = obj.get("ownerId")
        if owner is not None and owner != ctx.account.owner_id:
            errors["ownerId"] = f"User with id {owner} not found"
        plan = obj.get("plan") or {}
        for list_name in ("elements", "ratingAggregations"):
            for i, item in enumerate(plan.get(list_name) or []):
                ident = item.get("elementDefinitionId")
                if not exists_in_scope(ctx, "element", ident):
                    errors[f"plan.{list_name}[{i}].elementDefinitionId"] = (
                        f"Metering element definition with id {ident} not found"
                    )
        for i, source in enumerate(obj.get("sourceIds") or []):
            if not exists_in_scope(ctx, "source", source):
                errors[f"sourceIds[{i}]"] = f"Couldn't find Asset with ID: {source}"

    def server_fields(self, ctx: Ctx, obj: dict, existing: dict | None) -> None:
        obj["version"] = bump(existing["version"]) if existing else (obj["version"] or "1.0.0")
        if obj.get("paymentSource") is None:
            obj["paymentSource"] = "INVOICE_ONLY_NO_PAYMENT"
        if obj.get("plan") is None:  # §6.1: omitted on PUT, the stored plan (and ids) stay
            obj["plan"] = existing["plan"]
            return
        plan = obj["plan"]  # §6.2: a plan sent on PUT is recreated, child ids regenerate
        plan["id"] = ctx.ids.new()
        for list_name in PLAN_CHILD_LISTS:
            for item in plan.get(list_name) or []:
                item["id"] = ctx.ids.new()  # regenerated on every PUT (open question 6)
                for tier in item.get("tiers") or []:
                    tier["id"] = ctx.ids.new()

    def render(self, ctx: Ctx, obj: dict) -> dict[str, Any]:
        out = super().render(ctx, obj)
        out["owner"] = owner_ref(ctx, out.pop("ownerId", None))
        plan = out.get("plan") or {}
        for list_name in PLAN_CHILD_LISTS:
            if plan.get(list_name) is None:
                plan[list_name] = []
        out["sources"] = [ref(ctx, "source", i) for i in out.pop("sourceIds", None) or []]
        return out


COLLECTIONS = (Products,)
