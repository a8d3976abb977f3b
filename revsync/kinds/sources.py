"""Sources (revenium-api-more.md §1): metering elements by name, revsync's own tag.

Revsync tags every source it creates with `TAG`; `--prune` deletes only tagged sources,
so sources created from traffic (auto-discovery) or by hand are never deleted. The tag
is not compared: an entry need not list it, and revsync never adds it to (nor removes it
from) a source it did not create. Export keeps it, so the files show which sources carry it.

Official clients update by GET-merge-PUT, and which fields a PUT clears is not known, so
revsync does the same: a field the entry leaves out is sent with its live value and is not
compared (`meteringElementDefinitionIds` and `contractIds` included).
"""

from __future__ import annotations

import copy
from typing import Any

from ..core.desired import Entry
from ..core.live import LiveObject
from ..core.problems import Problem
from ..core.refs import Ref
from ..core.steps import Step
from .base import Kind, KindContext, NameIndex
from .merge_rules import empty_values

TAG = "managed-by:revsync"
# the write fields a merged PUT carries over from the live object when the entry omits them
WRITABLE = (
    "name",
    "type",
    "version",
    "description",
    "externalId",
    "externalUsagePlanId",
    "resource",
    "method",
    "devPortalLink",
    "logoURL",
    "tags",
    "autoDiscoveryEnabled",
    "assetUsageIdentifier",
    "sourceType",
    "sourceClassifications",
)
CREATE_DEFAULTS = {"version": "1.0.0", "sourceType": "UNKNOWN"}  # §1: send UNKNOWN


class Sources(Kind):
    name = "sources"
    title = "source"
    schema_def = "source"
    api_path = "/v2/api/sources"
    refs = (
        Ref(
            "meteringElements",
            "meteringElements",
            write="meteringElementDefinitionIds",
            read="meteringElementDefinitions[].id",
            raw="meteringElementDefinitionIds",
            many=True,
        ),
    )
    body_scope = ("teamId", "ownerId")
    server_fields = frozenset(
        {"meteringId", "products", "contracts", "environment", "descriptionAsHTML", "metadata"}
    )
    unordered = {"tags": None, "sourceClassifications": None}
    merge_compare = True

    def check(self, entry: Entry) -> list[Problem]:
        return empty_values(entry, self.title)

    def normalize_live(self, raw: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        obj = super().normalize_live(raw, names)
        if not _exporting(names):
            _untag(obj)
        return obj

    def normalize_desired(self, fields: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        return _untag(super().normalize_desired(fields, names))

    def create_steps(self, entry: Entry, body: dict[str, Any], ctx: KindContext) -> list[Step]:
        body = {**CREATE_DEFAULTS, **body}
        body["tags"] = [*(t for t in body.get("tags") or [] if t != TAG), TAG]
        return super().create_steps(entry, body, ctx)

    def update_steps(
        self, live: LiveObject, body: dict[str, Any], changed: set[str], ctx: KindContext
    ) -> list[Step]:
        merged = {**live_write_fields(live.raw), **body}
        tags = [t for t in merged.get("tags") or [] if t != TAG]
        merged["tags"] = [*tags, TAG] if tagged(live) else tags
        return super().update_steps(live, merged, changed, ctx)

    def deletable(self, live: LiveObject) -> str | None:
        if not tagged(live):
            return f"has no '{TAG}' tag (auto-discovered or made outside revsync): never pruned"
        return super().deletable(live)


def tagged(live: LiveObject) -> bool:
    return TAG in (live.raw.get("tags") or [])


def live_write_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """The live source in its write shape: what a GET-merge-PUT starts from."""
    out = {k: copy.deepcopy(raw[k]) for k in WRITABLE if raw.get(k) is not None}
    for read, write in (
        ("meteringElementDefinitions", "meteringElementDefinitionIds"),
        ("contracts", "contractIds"),
    ):
        out[write] = [o["id"] for o in raw.get(read) or [] if isinstance(o, dict) and o.get("id")]
    return out


def _untag(obj: dict[str, Any]) -> dict[str, Any]:
    if isinstance(obj.get("tags"), list):
        obj["tags"] = [t for t in obj["tags"] if t != TAG]
        if not obj["tags"]:
            obj.pop("tags")
    return obj


def _exporting(names: NameIndex) -> bool:
    """Export's name index also maps names back to ids; the planner's does not.

    The Kind interface has no export hook, and export must show the tag while plan must
    not compare it; this is the one place the two callers can be told apart.
    """
    return callable(getattr(names, "id_of", None))


KIND = Sources()
