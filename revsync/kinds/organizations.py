"""Organizations (§5): tenant-level; `parent` by name; PUT must resend `parentId`.

`metadata` is the one field an update keeps: left out, null or `""`, the stored text stays
(revenium-api-more.md §6.1), so revsync manages it only while the manifest gives a value;
a create must carry the key, so it sends `""` when the manifest has none.
"""

from __future__ import annotations

from typing import Any

from ..core.desired import Entry
from ..core.refs import Ref
from ..core.steps import Step
from .base import NO_WAY, Kind, KindContext


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
    kept_when_omitted = {"metadata": NO_WAY}

    def left_to_revenium(self, fields: dict[str, Any]) -> set[str]:
        """`metadata: ""` is kept like an omission, so it leaves metadata alone too."""
        left = super().left_to_revenium(fields)
        if fields.get("metadata") == "":
            left.add("metadata")
        return left

    def create_steps(self, entry: Entry, body: dict[str, Any], ctx: KindContext) -> list[Step]:
        body.setdefault("metadata", "")  # the platform's create needs the key present
        return super().create_steps(entry, body, ctx)


KIND = Organizations()
