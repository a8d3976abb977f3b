"""Subscriptions (§3): need an existing product and subscriber; PATCH changes the product."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, bad_request
from ..store import name_dep, nocase
from ..validation import F, check
from .base import Collection, Ctx, Route, exists_in_scope, owner_ref, ref
from .listing import keep_written, prefetch_refs

ISO = {"format": "iso8601"}

SUBSCRIPTION = {
    "name": F("string", required=True),
    "productId": F("string", required=True),
    "subscriberEmail": F("string", format="email"),
    "clientEmailAddress": F("string", format="email"),
    "ownerId": F("string"),
    "teamId": F("string"),
    "organizationId": F("string"),
    "start": F("string", **ISO),
    "expiration": F("string", **ISO),
    "trialEnd": F("string", **ISO),
    "credentialIds": F("array", items=F("string")),
    "namedOrganizationIds": F("array", items=F("string")),
    "namedSubscribers": F("array", items=F("string", format="email")),
    "tags": F("array", items=F("string")),
    "additionalInvoiceRecipients": F("array", items=F("string", format="email")),
    "notificationAddressesOnCreation": F("array", items=F("string", format="email")),
    "notificationAddressesOnQuotaThreshold": F("array", items=F("string", format="email")),
    "quotaNotificationThreshold": F("decimal", minimum=0),
    "tierQuotaNotificationThreshold": F("decimal", minimum=0),
    "sendToSubscriber": F("boolean"),
    "allowImmediateCancellation": F("boolean"),
    "externalQuoteId": F("string"),
    "identityProvider": F("string"),
    "accountId": F("string"),
    "charge": F("decimal"),
    "subscriptionId": F("string"),
}


class Subscriptions(Collection):
    kind = "subscription"
    segment = "subscriptions"
    embedded = "subscriptionResourceList"
    resource_type = "subscription"
    title = "Subscription"
    label_field = "subscriberEmail"
    specs = SUBSCRIPTION
    flat_refs = {"productId": ("product", "product"), "organizationId": ("organization", "org")}
    flat_ref_lists = {"namedOrganizationIds": ("namedOrganizations", "org")}
    write_only = frozenset({"subscriberId"})  # server-kept link to the subscriber
    blocks_delete_of = {
        "product": ("productId",),
        "org": ("organizationId", "namedOrganizationIds"),
        "subscriber": ("subscriberId",),
    }
    noun = "subscription"
    unknown_id_status = 403  # §6.3: unknown and foreign ids alike

    def routes(self) -> list[Route]:
        return [
            *super().routes(),
            Route("PATCH", self.segment + "/{id}", lambda c, p, b: self.patch(c, p["id"], b)),
        ]

    def matches(self, ctx: Ctx, obj: dict) -> bool:
        query = (ctx.params.get("query") or "").lower()
        return not query or any(
            query in str(obj.get(f) or "").lower() for f in ("name", "subscriberEmail")
        )

    def accept(self, ctx: Ctx, body: dict, existing: dict | None) -> dict:
        obj = super().accept(ctx, body, existing)
        obj["subscriberEmail"] = obj["subscriberEmail"] or obj.pop("clientEmailAddress", None)
        obj.pop("clientEmailAddress", None)
        return obj

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        email = obj.get("subscriberEmail") or obj.get("clientEmailAddress")
        if not email:
            errors["subscriberEmail"] = "must not be null"
        elif existing is not None and not self._subscriber_id(ctx, email):
            errors["subscriberEmail"] = f"Subscriber with email {email} not found"
        product = obj.get("productId")
        if not exists_in_scope(ctx, "product", product):
            errors["productId"] = f"Product with id {product} not found"
        elif existing is not None and product != existing.get("productId"):
            errors["productId"] = "the product of a subscription is changed with PATCH"
        org = obj.get("organizationId")
        if org is not None and not exists_in_scope(ctx, "org", org):
            errors["organizationId"] = f"Organization with id {org} not found"
        for i, named in enumerate(obj.get("namedOrganizationIds") or []):
            if not exists_in_scope(ctx, "org", named):
                errors[f"namedOrganizationIds[{i}]"] = f"Organization with id {named} not found"
        for i, cred in enumerate(obj.get("credentialIds") or []):
            errors[f"credentialIds[{i}]"] = f"Credential with id {cred} not found"
        owner = obj.get("ownerId")
        if owner is not None and owner != ctx.account.owner_id:
            errors["ownerId"] = f"User with id {owner} not found"

    def server_fields(self, ctx: Ctx, obj: dict, existing: dict | None) -> None:
        """§6.4: a create for an email with no subscriber creates that subscriber (a user)."""
        email = obj["subscriberEmail"]
        ident = self._subscriber_id(ctx, email)
        if ident is None:
            _, created = ctx.collection("subscriber").create(ctx, {"email": email})
            ident = created["id"]
        obj["subscriberId"] = ident

    def _subscriber_id(self, ctx: Ctx, email: str) -> str | None:
        ctx.depends_on(name_dep("subscriber", email))
        if ("subscriber-by-email", email) in ctx.prefetched:
            return ctx.prefetched[("subscriber-by-email", email)]
        scope = ctx.collection("subscriber").read_scopes(ctx)
        found = ctx.store.ids_by_name("subscriber", scope, email)
        return found[0] if found else None

    def prefetch(self, ctx: Ctx, objs: list[dict]) -> None:
        """Also the subscriber each item shows as `client`, found by its email."""
        super().prefetch(ctx, objs)
        emails = {e for o in objs if isinstance(e := o.get("subscriberEmail"), str) and e}
        scope = ctx.collection("subscriber").read_scopes(ctx)
        first = ctx.store.first_ids_by_names("subscriber", scope, emails)
        for email in emails:
            ctx.prefetched[("subscriber-by-email", email)] = first.get(nocase(email))
        prefetch_refs(ctx, "subscriber", set(first.values()))

    def patch(self, ctx: Ctx, ident: str, body: Any) -> tuple[int, Any]:
        self.check_team_param(ctx, required=False)
        existing = self.load(ctx, ident)
        if not isinstance(body, dict):
            raise ApiError(400, "JSON parse error: expected a JSON object")
        errors: dict[str, str] = {}
        clean = check({"productId": F("string", required=True)}, body, errors)
        product = clean.get("productId")
        if not errors and not exists_in_scope(ctx, "product", product):
            errors["productId"] = f"Product with id {product} not found"
        if errors:
            raise bad_request(errors)
        existing["productId"] = product
        existing["updated"] = ctx.now
        ctx.store.update(self.kind, existing, self.name_of(existing))
        keep_written(ctx, self, existing)
        return 200, self.render(ctx, existing)

    def render(self, ctx: Ctx, obj: dict) -> dict[str, Any]:
        out = super().render(ctx, obj)
        email = obj.get("subscriberEmail")
        client = self._subscriber_id(ctx, email) if email else None
        out["client"] = ref(ctx, "subscriber", client) if client else None
        out["owner"] = owner_ref(ctx, out.pop("ownerId", None))
        out["account"] = None
        out["credentials"] = []
        out.pop("credentialIds", None)
        out["periodStart"] = obj.get("start") or obj["created"]
        out["periodEnd"] = obj.get("expiration")
        out["periodCallCountConsumed"] = 0
        out["wentOverSubscriptionQuota"] = False
        out["quotas"] = []
        return out


COLLECTIONS = (Subscriptions,)
