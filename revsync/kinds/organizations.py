"""Organizations (§5): tenant-level; `parent` by name; PUT must resend `parentId`."""

from __future__ import annotations

from ..core.refs import Ref
from .base import Kind


class Organizations(Kind):
    name = "organizations"
    title = "organization"
    schema_def = "organization"
    api_path = "/v2/api/organizations"
    refs = (Ref("parent", "organizations", write="parentId", read="parent.id", raw="parentId"),)
    scope_param = "tenantId"
    body_scope = ("tenantId",)
    server_fields = frozenset({"callCountElementDefinition"})
    defaults = {"types": ["CONSUMER"]}
    unordered = {"types": None, "domainAliases": None}


KIND = Organizations()
