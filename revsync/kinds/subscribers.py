"""Subscribers (§4): keyed by email (case-insensitive), organizations by name."""

from __future__ import annotations

from .base import Kind, Ref


class Subscribers(Kind):
    name = "subscribers"
    title = "subscriber"
    schema_def = "subscriber"
    api_path = "/v2/api/subscribers"
    key_fields = ("email",)
    refs = (
        Ref(
            "organizations",
            "organizations",
            write="organizationIds",
            read="organizations[].id",
            raw="organizationIds",
            many=True,
        ),
    )
    body_scope = ("teamId", "tenantId")

    def fold(self, key: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(k.lower() for k in key)


KIND = Subscribers()
