"""Subscriptions (§3): product, subscriber (by email) and organization by name.

A product change goes through PATCH (the API's upgrade/downgrade operation); everything
else through PUT, which replaces the whole subscription. An unknown id answers 403
(revenium-api-more.md §6.3). A create for an email with no subscriber makes a new user on
Revenium (§6.4), so the subscriber must be in the manifests or in the account (the plan's
reference check refuses it otherwise, before any write).
"""

from __future__ import annotations

import copy
from typing import Any

from ..core.live import LiveObject
from ..core.refs import Ref
from ..core.steps import Step
from .base import Kind, KindContext, NameIndex


class Subscriptions(Kind):
    name = "subscriptions"
    title = "subscription"
    schema_def = "subscription"
    api_path = "/v2/api/subscriptions"
    refs = (
        Ref(
            "product",
            "products",
            write="productId",
            read="product.id",
            raw="productId",
            required=True,
        ),
        Ref(
            "subscriber",
            "subscribers",
            write="subscriberEmail",
            read="client.label",
            raw="subscriberEmail",
            required=True,
            by_key=True,
            fold_case=True,
        ),
        Ref(
            "organization",
            "organizations",
            write="organizationId",
            read="organization.id",
            raw="organizationId",
        ),
        Ref(
            "namedOrganizations",
            "organizations",
            write="namedOrganizationIds",
            read="namedOrganizations[].id",
            raw="namedOrganizationIds",
            many=True,
        ),
    )
    body_scope = ("teamId", "ownerId")
    server_fields = frozenset(
        {
            "account",
            "credentials",
            "periodStart",
            "periodEnd",
            "periodCallCountConsumed",
            "wentOverSubscriptionQuota",
            "quotas",
            "clientEmailAddress",
            "provisionedCredentialExternalId",
        }
    )
    datetime_fields = ("start", "expiration", "trialEnd")
    decimal_fields = ("charge", "quotaNotificationThreshold", "tierQuotaNotificationThreshold")
    gone_statuses = (403, 404)
    unordered = {
        "tags": None,
        "credentialIds": None,
        "namedSubscribers": None,
        "additionalInvoiceRecipients": None,
        "notificationAddressesOnCreation": None,
        "notificationAddressesOnQuotaThreshold": None,
    }

    names_only_in_refs = True  # normalize_live only reshapes the answer before Kind's

    def normalize_live(self, raw: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        raw = copy.copy(raw)
        email = raw.pop("subscriberEmail", None)
        if not (raw.get("client") or {}).get("label") and email:
            raw["client"] = {"label": email}
        raw["credentialIds"] = [c.get("id") for c in raw.get("credentials") or []]
        return super().normalize_live(raw, names)

    def update_steps(
        self, live: LiveObject, body: dict[str, Any], changed: set[str], ctx: KindContext
    ) -> list[Step]:
        steps: list[Step] = []
        if "product" in changed:
            steps.append(
                Step(
                    "PATCH",
                    self.item_path(),
                    self.write_params(ctx.account),
                    {"productId": body["productId"]},
                    description="change the subscription's product",
                )
            )
        if changed - {"product"}:
            steps += super().update_steps(live, body, changed, ctx)
        return steps


KIND = Subscriptions()
