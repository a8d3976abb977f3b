"""Subscribers (§4): keyed by email (case-insensitive), organizations by name."""

from __future__ import annotations

from ..core.refs import Ref
from .base import Kind


class Subscribers(Kind):
    name = "subscribers"
    title = "subscriber"
    schema_def = "subscriber"
    api_path = "/v2/api/subscribers"
    key_fields = ("email",)
    casefold_keys = ("email",)
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


KIND = Subscribers()
