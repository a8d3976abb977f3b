"""Organizations (§5): tenant-level; `parent` by name; PUT must resend `parentId`.

`metadata` is the one field an update keeps: left out, null or `""`, the stored text stays
(revenium-api-more.md §6.1), so revsync manages it only while the manifest gives a value;
a create must carry the key, so it sends `""` when the manifest has none.

The text is `key=value` pieces separated by commas; Revenium drops any other piece without
a word, so `validate` refuses them (the plan would otherwise never settle), and the plan
compares the pieces without regard to order or the spaces around them.
"""

from __future__ import annotations

from typing import Any

from ..core.desired import Entry
from ..core.problems import Problem
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

    def check(self, entry: Entry) -> list[Problem]:
        text = entry.fields.get("metadata")
        if not isinstance(text, str):
            return []
        secret = ("metadata",) in entry.sensitive
        where = entry.where(("metadata",))
        problems, seen = [], set()
        for number, piece, key, _ in metadata_pieces(text):
            if key is None:
                reason = "is not key=value: Revenium drops it silently"
            elif key in seen:
                reason = "repeats a key: Revenium keeps one value per key"
            else:
                seen.add(key)
                continue
            shown = f"piece {number}" if secret else f"piece {number} ({piece!r})"
            problems.append(Problem(f"metadata {shown} {reason}", where, entry.address))
        return problems

    def canonical(self, obj: dict[str, Any]) -> dict[str, Any]:
        obj = super().canonical(obj)
        if isinstance(obj.get("metadata"), str):
            obj["metadata"] = metadata_form(obj["metadata"])
        return obj

    def create_steps(self, entry: Entry, body: dict[str, Any], ctx: KindContext) -> list[Step]:
        body.setdefault("metadata", "")  # the platform's create needs the key present
        return super().create_steps(entry, body, ctx)


def metadata_pieces(text: str) -> list[tuple[int, str, str | None, str]]:
    """(position, piece trimmed, key or None when not `key=value`, value) of each piece that
    is not blank: how Revenium reads the text, for checking it and for comparing it."""
    out = []
    for number, raw in enumerate(text.split(","), 1):
        key, equals, value = raw.partition("=")
        if raw.strip():
            named = equals and key.strip()
            out.append((number, raw.strip(), key.strip() if named else None, value.strip()))
    return out


def metadata_form(text: str) -> str:
    """`b=2, a = 1,` as `a=1,b=2`: the pieces, trimmed and sorted (how they compare)."""
    pieces = metadata_pieces(text)
    return ",".join(
        sorted(piece if key is None else f"{key}={value}" for _, piece, key, value in pieces)
    )


KIND = Organizations()
