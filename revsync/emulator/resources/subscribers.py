"""Subscribers (§4): tenant-level, unique by email, listed with `teamId`."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, conflict, forbidden
from ..validation import F
from .base import Collection, Ctx, Route, exists_in_scope, missing_param

SUBSCRIBER = {
    "email": F("string", required=True, format="email"),
    "firstName": F("string"),
    "lastName": F("string"),
    "phoneNumber": F("string"),
    "subscriberId": F("string"),
    "organizationIds": F("array", items=F("string")),
    "teamId": F("string"),
    "tenantId": F("string"),
}


class Subscribers(Collection):
    kind = "subscriber"
    segment = "subscribers"
    embedded = "subscriberResourceList"
    resource_type = "user"
    title = "Subscriber"
    scope = "tenant"
    label_field = "email"
    specs = SUBSCRIBER
    flat_ref_lists = {"organizationIds": ("organizations", "org")}
    blocks_delete_of = {"org": ("organizationIds",)}
    noun = "subscriber"
    default_sort = "id"
    create_requires_scope = False

    def routes(self) -> list[Route]:
        lookup = Route("GET", self.segment + "/lookup-by-email", lambda c, p, b: self.by_email(c))
        return [lookup, *super().routes()]

    def check_team_param(self, ctx: Ctx, required: bool) -> None:
        team, tenant = ctx.params.get("teamId"), ctx.params.get("tenantId")
        if required and team is None and tenant is None:
            raise missing_param("teamId")
        if team is not None and team != ctx.account.team_id:
            raise forbidden(f"Access denied for team {team}")
        if tenant is not None and tenant != ctx.account.tenant_id:
            raise forbidden(f"Access denied for tenant {tenant}")

    def body_scope(self, ctx: Ctx, body: dict) -> None:
        team, tenant = body.get("teamId"), body.get("tenantId")
        if team is not None and team != ctx.account.team_id:
            raise forbidden(f"Access denied for teamId {team}")
        if tenant is not None and tenant != ctx.account.tenant_id:
            raise forbidden(f"Access denied for tenantId {tenant}")

    def validate(self, ctx: Ctx, obj: dict, errors: dict, existing: dict | None) -> None:
        for other in ctx.store.by_name(self.kind, self.read_scopes(ctx), obj["email"]):
            if not existing or other["id"] != existing["id"]:
                raise conflict(f"Subscriber with email {obj['email']} already exists")
        for i, org in enumerate(obj.get("organizationIds") or []):
            if not exists_in_scope(ctx, "org", org):
                errors[f"organizationIds[{i}]"] = f"Organization with id {org} not found"

    def by_email(self, ctx: Ctx) -> tuple[int, Any]:
        email = ctx.params.get("email") or ""
        if not email:
            raise ApiError(400, "Required request parameter 'email' is not present")
        found = ctx.store.by_name(self.kind, self.read_scopes(ctx), email)
        if found:
            return 200, self.render(ctx, found[0])
        raise ApiError(404, f"Subscriber with email {email} not found")


COLLECTIONS = (Subscribers,)
